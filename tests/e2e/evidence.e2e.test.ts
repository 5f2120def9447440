/**
 * Issue 13's "must show", as a newcomer runs it on `npm start`: the demo contractor uploads a
 * photo and a PDF and submits a progress report with the photo public and the PDF private; the
 * demo supervisor and officer approve it; the public record names the photo's published copy,
 * served with exactly that hash and without location or camera data; the PDF is 404 publicly and
 * 200 for a project member; `npm run verify -- --files` passes, and fails once a published file's
 * bytes are replaced on disk.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { phonePhoto, sha256, upload as uploadAs, windowsExecutable } from '../support/evidence';
import { http } from '../support/http';
import { demoStack } from '../support/launcher';

const ROOT = join(__dirname, '../..');
const run = promisify(execFile);

describe('evidence on npm start', () => {
  const stack = demoStack('openccs-evidence-');
  const login = stack.login;
  const upload = (token: string, bytes: Buffer, name: string, type: string) =>
    uploadAs(stack.base, token, bytes, name, type);
  const verify = () =>
    run(process.execPath, ['dist/apps/verifier/src/main.js', '--url', stack.base, '--files'], {
      cwd: ROOT,
    }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );

  it('publishes the photo without its location, keeps the PDF private, and the verifier catches a replaced file', async () => {
    const contractor = await login('demo.contractor');
    const photoBytes = await phonePhoto('#8a6', { width: 120, height: 90 });
    const pdfBytes = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Title (Measurement sheet) >>\nendobj\n%%EOF\n');
    const photo = await upload(contractor, photoBytes, 'deck rebar.jpg', 'image/jpeg');
    const sheet = await upload(contractor, pdfBytes, 'measurements.pdf', 'application/pdf');
    expect([photo.status, photo.body.id, sheet.status, sheet.body.id]).toEqual([
      201,
      sha256(photoBytes),
      201,
      sha256(pdfBytes),
    ]);
    expect((await upload(contractor, windowsExecutable(), 'invoice.pdf', 'application/pdf')).status).toBe(
      415,
    );

    const projects = await http<{ items: Array<{ id: string; code: string }> }>('GET', '/api/v1/projects', {
      base: stack.base,
      token: contractor,
    });
    const project = projects.body.items[0];
    const report = await http<{ id: string; attachments: Array<{ publishedSha256: string | null }> }>(
      'POST',
      `/api/v1/projects/${project?.id}/reports`,
      {
        base: stack.base,
        token: contractor,
        body: {
          kind: 'progress_report',
          title: 'November progress',
          body: { physicalProgress: 38, period: '2026-11' },
          attachments: [
            { fileId: photo.body.id, public: true },
            { fileId: sheet.body.id, public: false },
          ],
        },
      },
    );
    expect(report.status).toBe(201);
    for (const user of ['demo.supervisor', 'demo.officer'])
      expect(
        (
          await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
            base: stack.base,
            token: await login(user),
            body: { action: 'approve' },
          })
        ).status,
      ).toBe(200);

    const records = await http<{
      items: Array<{ seq: number; report?: { id: string; attachments?: Array<{ sha256: string }> } }>;
    }>('GET', `/public/v1/projects/${project?.code}/records`, { base: stack.base });
    const record = records.body.items.find((r) => r.report?.id === report.body.id);
    const published = record?.report?.attachments?.[0]?.sha256 as string;
    expect(published).toBe(report.body.attachments[0]?.publishedSha256);
    expect(published).not.toBe(photo.body.id);
    const copy = Buffer.from(await (await fetch(`${stack.base}/public/v1/files/${published}`)).arrayBuffer());
    expect(sha256(copy)).toBe(published);
    expect((await sharp(copy).metadata()).exif).toBeUndefined();
    expect((await fetch(`${stack.base}/public/v1/files/${photo.body.id}`)).status).toBe(404);
    expect((await fetch(`${stack.base}/public/v1/files/${sheet.body.id}`)).status).toBe(404);
    const head = await login('demo.head');
    const member = await fetch(`${stack.base}/api/v1/files/${sheet.body.id}`, {
      headers: { authorization: `Bearer ${head}` },
    });
    expect(member.status).toBe(200);

    const good = await verify();
    expect([good.code, good.stdout]).toEqual([0, expect.stringMatching(/1 files match their records/)]);
    // Someone replaces the published photo on disk: the log still holds, the file no longer does.
    writeFileSync(
      join(stack.dataDir, 'files', 'objects', published.slice(0, 2), published.slice(2, 4), published),
      Buffer.from('not the photo the record names'),
    );
    const bad = await verify();
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`deck rebar.jpg: the record names ${published}`);
    expect(bad.stdout).toContain(`first bad record: position ${record?.seq}`);
  });
});
