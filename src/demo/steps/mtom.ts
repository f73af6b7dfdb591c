import { createHash } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { mtomDownload } from '../../services/mtom/download.ts';
import { generatedContent } from '../../services/mtom/generated-content.ts';
import { generatedDigest } from '../../services/mtom/generated-digest.ts';
import { mtomUpload } from '../../services/mtom/upload.ts';
import { demoExpect } from '../_expect.ts';
import { withDemoServices } from '../_services.ts';
import type { DemoStep } from '../step.ts';

const UPLOAD_BYTES = 4 * 1024 * 1024 + 1;
const DOWNLOAD_BYTES = 8 * 1024 * 1024;

/**
 * Flow "MTOM on port 4522" (issue 6): an upload of two documents signed over their content
 * (the receiver checks the signature and answers sizes and SHA-256), then a download of
 * generated content whose reply signature covers the attachment and whose digest is checked.
 */
export function mtomSteps(): DemoStep[] {
  return [
    {
      id: 'mtom.upload',
      title: 'Upload two documents as signed MTOM attachments (port 4522)',
      async run(ctx) {
        const pdf = join(ctx.workDir, 'mtom-document.pdf');
        await pipeline(generatedContent('demo-upload', UPLOAD_BYTES), createWriteStream(pdf));
        const note = join(ctx.workDir, 'mtom-note.txt');
        writeFileSync(note, 'Passerelle MTOM demo\n');
        const result = await withDemoServices(ctx, (s) =>
          mtomUpload(s, {
            files: [
              { path: pdf, contentType: 'application/pdf' },
              { path: note, contentType: 'text/plain' },
            ],
          }),
        );
        const [first, second] = result.documents;
        demoExpect(
          first?.size === UPLOAD_BYTES &&
            first.sha256 === (await generatedDigest('demo-upload', UPLOAD_BYTES)),
          'the platform saw the PDF byte for byte',
        );
        demoExpect(
          second?.sha256 === createHash('sha256').update('Passerelle MTOM demo\n').digest('hex'),
          'the platform saw the note byte for byte',
        );
        demoExpect(
          result.replySigner?.fingerprint256 === ctx.sandbox.pki.platformSigning.certificate.fingerprint256,
          'the reply is signed by the platform',
        );
        return {
          checks: [
            'the request signature covers the attachments (XOP-expanded Body digest) and the sandbox verified it',
            `the sandbox reports the sizes and SHA-256 of both documents (${UPLOAD_BYTES} and 21 bytes), equal to ours`,
            'the reply signature verifies against the platform signing certificate',
          ],
        };
      },
    },
    {
      id: 'mtom.download',
      title: 'Download generated content as an MTOM attachment and check its digest',
      dependsOn: ['mtom.upload'],
      async run(ctx) {
        const out = join(ctx.workDir, 'mtom-download.bin');
        const got = await withDemoServices(ctx, async (s) => {
          const d = await mtomDownload(s, { size: DOWNLOAD_BYTES, seed: 'demo-download' });
          try {
            await pipeline(d.stream, createWriteStream(out));
            return await d.done();
          } catch (error) {
            await d.close();
            throw error;
          }
        });
        demoExpect(got.size === DOWNLOAD_BYTES, 'the document has the size asked for');
        demoExpect(
          got.sha256 === (await generatedDigest('demo-download', DOWNLOAD_BYTES)),
          'the SHA-256 of the document is that of the generated content',
        );
        return {
          checks: [
            'the reply signature covers the attachment and verifies as it streams to disk',
            `the ${DOWNLOAD_BYTES} bytes received have the SHA-256 of the content generated from the seed`,
          ],
        };
      },
    },
  ];
}
