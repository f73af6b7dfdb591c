export { type CreateRestServiceOptions, createRestService, type RestService } from './create-rest-service.ts';
export { type RestHealth, type RestHealthStatus, restHealth } from './health.ts';
