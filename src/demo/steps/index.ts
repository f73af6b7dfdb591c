import type { DemoStep } from '../step.ts';
import { batchSteps } from './batch.ts';
import { contractSteps } from './contracts.ts';
import { eboxSteps } from './ebox.ts';
import { mssSteps } from './mss.ts';
import { mssConformanceSteps } from './mss-conformance.ts';
import { mtomSteps } from './mtom.ts';
import { onboardSteps } from './onboard.ts';
import { pkiSteps } from './pki.ts';
import { restSteps } from './rest.ts';
import { sftpSteps } from './sftp.ts';
import { soaSteps } from './soa.ts';
import { stsSteps } from './sts.ts';

/**
 * Every flow of the demo, in run order. A flow adds itself here: one file under steps/
 * exporting a factory that returns fresh steps (state shared between the steps of one flow
 * lives in the factory's closure, so each run starts clean).
 */
export function defaultSteps(): DemoStep[] {
  return [
    ...pkiSteps(),
    ...soaSteps(),
    ...mtomSteps(),
    ...stsSteps(),
    ...restSteps(),
    ...contractSteps(),
    ...eboxSteps(),
    ...batchSteps(),
    ...sftpSteps(),
    ...mssSteps(),
    ...mssConformanceSteps(),
    ...onboardSteps(),
  ];
}
