import type { RegisterCommand } from './_types.ts';
import { registerBatch } from './batch.ts';
import { registerCall } from './call.ts';
import { registerCert } from './cert.ts';
import { registerDemo } from './demo.ts';
import { registerDoctor } from './doctor.ts';
import { registerEbox } from './ebox.ts';
import { registerEnv } from './env.ts';
import { registerMss } from './mss.ts';
import { registerOAuth } from './oauth.ts';
import { registerOnboard } from './onboard.ts';
import { registerRest } from './rest.ts';
import { registerSandbox } from './sandbox.ts';
import { registerSftp } from './sftp.ts';
import { registerSoap } from './soap.ts';
import { registerSts } from './sts.ts';
import { registerWsdl } from './wsdl.ts';
import { registerWss } from './wss.ts';

/** Every command module, in help order. Add a module's register function here. */
export const COMMANDS: readonly RegisterCommand[] = [
  registerEnv,
  registerCert,
  registerSandbox,
  registerDemo,
  registerDoctor,
  registerWss,
  registerWsdl,
  registerCall,
  registerSoap,
  registerSts,
  registerOAuth,
  registerRest,
  registerEbox,
  registerBatch,
  registerSftp,
  registerMss,
  registerOnboard,
];
