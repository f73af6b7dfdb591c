import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveEnvironment } from '../../config/environment.ts';
import { loadConfig } from '../../config/load.ts';
import { type DoctorReport, runDoctor } from '../../doctor/index.ts';
import { MemoryLogger } from '../../log.ts';
import { FORM_FILES, ONBOARD_FILES, onboardInit, readAnswersFile } from '../../onboard/index.ts';
import { startSandbox } from '../../sandbox/host.ts';
import { soaModule } from '../../sandbox/soa/module.ts';
import { demoExpect } from '../_expect.ts';
import type { DemoStep } from '../step.ts';

/** The example answers shipped with the package (docs/, from src/demo/steps or dist/demo/steps). */
const ANSWERS = fileURLToPath(new URL('../../../docs/onboarding-answers.example.yaml', import.meta.url));

const _failedLine = (r: DoctorReport) =>
  r.failed === undefined ? 'none' : `${r.failed.id} ${r.failed.code ?? ''} (step ${r.failed.step})`;

/**
 * Flow "onboard" (issue 15): `onboard init` writes the onboarding folder from the example answers
 * (firewall form and eBox forms as PDF + CSV, one key + CSR per environment and purpose, the
 * configuration skeleton); `doctor` runs its checks against the healthy sandbox (all green),
 * then against a second sandbox whose SOAP port is closed, and names the broken step.
 */
export function onboardSteps(): DemoStep[] {
  return [
    {
      id: 'onboard.init',
      title: 'onboard init: firewall and eBox forms (PDF + CSV), certificate kit, configuration skeleton',
      async run(ctx) {
        const answers = await readAnswersFile(ANSWERS);
        const outDir = join(ctx.workDir, 'onboarding');
        const r = await onboardInit(answers, { outDir, clock: ctx.clock });
        for (const pdf of [FORM_FILES.firewallPdf, FORM_FILES.eboxPdf]) {
          demoExpect(r.files.includes(pdf), `${pdf} is written`);
          const head = (await readFile(join(outDir, pdf))).subarray(0, 5).toString('latin1');
          demoExpect(head === '%PDF-', `${pdf} is a PDF`);
        }
        const csv = await readFile(join(outDir, FORM_FILES.firewallCsv), 'utf8');
        const lines = csv.trimEnd().split('\r\n').length - 1;
        demoExpect(lines === r.flows.length, 'the firewall CSV has one line per flow');
        for (const entry of r.kit) {
          const mode = (await stat(join(outDir, entry.key))).mode & 0o777;
          demoExpect(mode === 0o600, `${entry.key} is mode 0600`);
        }
        const config = await loadConfig({ path: join(outDir, ONBOARD_FILES.config), env: {} });
        demoExpect(config.config.environments?.['acpt'] !== undefined, 'the skeleton configures acpt');
        const acptSoap = r.flows.find((f) => f.environment === 'acpt' && f.destination.port === 4520);
        return {
          checks: [
            `${r.files.length} files; ${r.flows.length} firewall flows (acpt SOAP: row ${acptSoap?.row}, ${acptSoap?.destination.ip}:4520)`,
            `${r.kit.length} keys (mode 0600) and CSRs: ${r.kit.map((k) => `${k.environment}/${k.purpose}`).join(', ')}`,
            'the firewall form and the eBox request forms are PDFs, with their CSVs',
            `${ONBOARD_FILES.config} loads with the configuration loader`,
          ],
        };
      },
    },
    {
      id: 'onboard.doctor',
      title: 'doctor against the healthy sandbox: every onboarding check green',
      async run(ctx) {
        const report = await runDoctor(ctx.environment, { clock: ctx.clock, processEnv: {} });
        demoExpect(report.status === 'ok', `every check passed (failed: ${_failedLine(report)})`);
        return {
          checks: [
            `${report.checks.filter((c) => c.status === 'ok').length} checks ok in ${report.durationMs} ms: ${report.checks
              .map((c) => c.id.split(':')[0])
              .filter((id, i, all) => all.indexOf(id) === i)
              .join(' → ')}`,
          ],
        };
      },
    },
    {
      id: 'onboard.doctor-broken',
      title: 'doctor against a sandbox whose SOAP port is closed: the network step is named, with its remedy',
      async run(ctx) {
        const broken = await startSandbox({
          stateDir: join(ctx.workDir, 'sandbox-port-closed'),
          clock: ctx.clock,
          log: new MemoryLogger(),
          modules: [soaModule()],
          faults: ['port-closed'],
        });
        try {
          const env = resolveEnvironment(
            await loadConfig({ path: broken.configPath, env: {} }),
            'sandbox',
            {},
          );
          const report = await runDoctor(env, { clock: ctx.clock, processEnv: {}, endpoints: ['cbss.soap'] });
          const failed = report.failed;
          demoExpect(
            failed?.code === 'ERR_DOCTOR_TCP_REFUSED',
            `the TCP check is refused (${_failedLine(report)})`,
          );
          demoExpect(failed.step === 1, 'it is the network step of the onboarding');
          demoExpect(report.checks.at(-1) === failed, 'the run stopped at the first broken step');
          return {
            checks: [
              `${failed.id}: ${failed.code}, onboarding step ${failed.step} (${failed.stepName})`,
              `remedy: ${failed.remedy ?? ''}`,
            ],
          };
        } finally {
          await broken.close();
        }
      },
    },
  ];
}
