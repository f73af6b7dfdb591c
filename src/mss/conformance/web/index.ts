export type { PscInfo } from './_api.ts';
export type { JobInput } from './_input.ts';
export type { JobCase, JobEvent, JobRecord, JobRequest, JobStatus, StatusEvent } from './_job-record.ts';
export type { RunJob } from './_jobs.ts';
export { type ConformanceApp, type ConformanceAppOptions, startConformanceApp } from './start-app.ts';
