/**
 * Evidence end to end, with each file store: a local directory, and a real S3-compatible store
 * (SeaweedFS, started here). Upload, attach, approve, publish, verify; the public sees only what a
 * record names (a photo as its copy without location and camera data), members the rest; bad
 * uploads are refused and leave nothing behind; a withdrawn file is gone but its hash stays.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { startApi, type ExtraApi } from '../support/api';
import { closeDb, count, db } from '../support/db';
import { addMember, asAdmin, createOrganization, createUser, unique } from '../support/factories';
import { http } from '../support/http';
import { castProject, type Cast } from '../support/scenario';
import { startSeaweedFs, type SeaweedFs } from '../support/seaweedfs';
import { pdf, phonePhoto, sha256, upload as uploadAs, windowsExecutable } from '../support/evidence';

const run = promisify(execFile);
const LIMIT = 2 * 1024 * 1024;

type Problem = { status: number; code?: string; errors?: Array<{ field: string; message: string }> };
type Uploaded = { id: string; name: string; contentType: string; size: number; publishable: boolean };
type Report = {
  id: string;
  status: string;
  attachments: Array<{ fileId: string; public: boolean; revision: number; publishedSha256: string | null }>;
};
type PublicRecord = {
  seq: number;
  type?: 'document';
  report?: {
    id: string;
    attachments?: Array<{ sha256: string; name: string; contentType: string; size: number }>;
  };
  document?: { title: string; version: number; file: { sha256: string; name: string } };
};

const upload = (base: string, token: string, bytes: Buffer, name: string, type?: string) =>
  uploadAs<Uploaded & Problem>(base, token, bytes, name, type);

/** The record at position `seq` of the log. */
async function recordAt(base: string, seq: number): Promise<PublicRecord | undefined> {
  const page = await http<{ items: PublicRecord[] }>(
    'GET',
    `/public/v1/records?${seq > 0 ? `after=${seq - 1}&` : ''}limit=1`,
    {
      base,
    },
  );
  return page.body.items[0];
}

async function download(
  url: string,
  token?: string,
): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

let cast: Cast;
beforeAll(async () => {
  cast = await castProject();
}, 60_000);
afterAll(closeDb);

describe.each([['local'], ['s3']] as const)('evidence in the %s file store', (store) => {
  let api: ExtraApi;
  let seaweed: SeaweedFs | undefined;
  let fileDir: string;
  let base: string;

  beforeAll(async () => {
    fileDir = mkdtempSync(join(tmpdir(), 'openccs-files-'));
    if (store === 's3') seaweed = await startSeaweedFs();
    api = await startApi({
      ...(seaweed?.env ?? {}),
      FILE_DIR: fileDir,
      MAX_UPLOAD_BYTES: String(LIMIT),
      LOG_LEVEL: 'fatal',
    });
    base = api.base;
    const head = await http<{ treeHead: { treeSize: number } }>('GET', '/public/v1/log', { base });
    firstSeq = head.body.treeHead.treeSize;
  }, 120_000);
  afterAll(async () => {
    await api.app.close();
    await seaweed?.stop();
    rmSync(fileDir, { recursive: true, force: true });
  });

  const staged = () => readdirSync(join(fileDir, 'staging')).length;
  /**
   * The verifier over the whole log, checking the files of this store's records (both stores share
   * one database here, which a deployment never does).
   */
  let firstSeq = 0;
  const verify = () =>
    run(
      process.execPath,
      ['dist/apps/verifier/src/main.js', '--url', base, '--files', '--since', String(firstSeq)],
      {
        cwd: join(__dirname, '../..'),
      },
    );

  it('publishes a photo without its location while the PDF stays private, and the verifier checks the bytes', async () => {
    const photoBytes = await phonePhoto(store === 's3' ? '#7a7' : '#a77');
    const pdfBytes = pdf(`measurement sheet ${store}`);
    const photo = await upload(
      base,
      cast.contractor.token,
      photoBytes,
      'rebar before the pour.jpg',
      'image/jpeg',
    );
    expect([photo.status, photo.body.id, photo.body.contentType, photo.body.publishable]).toEqual([
      201,
      sha256(photoBytes),
      'image/jpeg',
      true,
    ]);
    // The same bytes again: the same id, stored once.
    expect((await upload(base, cast.contractor.token, photoBytes, 'rebar before the pour.jpg')).body.id).toBe(
      photo.body.id,
    );
    const sheet = await upload(base, cast.contractor.token, pdfBytes, 'measurements.pdf', 'application/pdf');
    expect([sheet.status, sheet.body.id]).toEqual([201, sha256(pdfBytes)]);

    const submitted = await http<Report & Problem>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      base,
      token: cast.contractor.token,
      body: {
        kind: 'progress_report',
        title: `Deck pour, ${store}`,
        body: { physicalProgress: 42, period: '2026-11' },
        attachments: [
          { fileId: photo.body.id, public: true },
          { fileId: sheet.body.id, public: false },
        ],
      },
    });
    expect(submitted.status).toBe(201);
    const published = submitted.body.attachments[0]?.publishedSha256;
    expect(submitted.body.attachments.map((a) => [a.fileId, a.public, a.revision])).toEqual([
      [photo.body.id, true, 1],
      [sheet.body.id, false, 1],
    ]);
    expect(published).toMatch(/^[0-9a-f]{64}$/);
    expect(published).not.toBe(photo.body.id);
    for (const user of [cast.supervisor, cast.officer]) {
      const decided = await http<Report>('POST', `/api/v1/reports/${submitted.body.id}/decisions`, {
        base,
        token: user.token,
        body: { action: 'approve' },
      });
      expect(decided.status).toBe(200);
    }

    const records = await http<{ items: PublicRecord[] }>(
      'GET',
      `/public/v1/projects/${cast.project.code}/records?limit=1000`,
      { base },
    );
    const mine = records.body.items.filter((r) => r.report?.id === submitted.body.id);
    expect(mine).toHaveLength(2);
    for (const r of mine)
      expect(r.report?.attachments).toEqual([
        {
          sha256: published,
          name: 'rebar before the pour.jpg',
          contentType: 'image/jpeg',
          size: expect.any(Number),
        },
      ]);

    // The portal shows the photo in the project's gallery and the file with its record.
    const page = await fetch(`${base}/projects/${encodeURIComponent(cast.project.code)}?lang=en`).then((r) =>
      r.text(),
    );
    expect(page).toContain(`src="/public/v1/files/${published}?size=thumb"`);
    const recordPage = await fetch(`${base}/records/${mine[0]?.seq}?lang=en`).then((r) => r.text());
    expect(recordPage).toContain(`href="/public/v1/files/${published}"`);
    expect(recordPage).toContain('rebar before the pour.jpg');

    // The published copy: exactly the bytes the record names, without location or camera.
    const copy = await download(`${base}/public/v1/files/${published}`);
    expect([copy.status, sha256(copy.bytes)]).toEqual([200, published]);
    expect(copy.headers.get('cache-control')).toContain('immutable');
    const meta = await sharp(copy.bytes).metadata();
    expect([meta.exif, meta.xmp]).toEqual([undefined, undefined]);
    expect(copy.bytes.includes(Buffer.from('PhoneMaker'))).toBe(false);
    const thumb = await download(`${base}/public/v1/files/${published}?size=thumb`);
    expect([thumb.status, thumb.headers.get('content-type')]).toEqual([200, 'image/webp']);

    // The original photo and the PDF are no one's business but the project's.
    expect((await download(`${base}/public/v1/files/${photo.body.id}`)).status).toBe(404);
    expect((await download(`${base}/public/v1/files/${sheet.body.id}`)).status).toBe(404);
    const member = await download(`${base}/api/v1/files/${sheet.body.id}`, cast.head.token);
    expect([member.status, sha256(member.bytes)]).toEqual([200, sheet.body.id]);
    expect(member.headers.get('cache-control')).toBe('no-store');
    expect((await download(`${base}/api/v1/files/${sheet.body.id}`, cast.outsider.token)).status).toBe(404);
    const original = await download(`${base}/api/v1/files/${photo.body.id}`, cast.supervisor.token);
    expect(sha256(original.bytes)).toBe(photo.body.id);

    const verified = await verify();
    expect(verified.stdout).toMatch(/^OK: \d+ records/);
    expect(verified.stdout).toMatch(/\d+ files match their records/);
  });

  it('refuses what is not what it says, too large, or not a file, and keeps nothing of it', async () => {
    const before = await count('SELECT 1 FROM files');
    const exe = await upload(
      base,
      cast.contractor.token,
      windowsExecutable(),
      'invoice.pdf',
      'application/pdf',
    );
    expect([exe.status, exe.body.code]).toEqual([415, 'file.type_not_allowed']);
    const mislabelled = await upload(base, cast.contractor.token, pdf('x'), 'photo.jpg', 'image/jpeg');
    expect([mislabelled.status, mislabelled.body.errors?.[0]?.field]).toEqual([415, 'file']);
    const big = await upload(base, cast.contractor.token, Buffer.alloc(LIMIT + 1024 * 1024, 1), 'big.pdf');
    expect([big.status, big.body.code]).toEqual([413, 'file.too_large']);
    // Just over the limit, so that the parser, not the Content-Length, finds it out.
    const over = Buffer.concat([pdf('big'), Buffer.alloc(LIMIT, 32)]);
    const justOver = await upload(base, cast.contractor.token, over, 'over.pdf');
    expect([justOver.status, justOver.body.code]).toEqual([413, 'file.too_large']);

    const notMultipart = await http<Problem>('POST', '/api/v1/files', {
      base,
      token: cast.contractor.token,
      body: { file: 'x' },
    });
    expect([notMultipart.status, notMultipart.body.code]).toEqual([415, 'body_unsupported']);
    const broken = await fetch(`${base}/api/v1/files`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cast.contractor.token}`,
        'content-type': 'multipart/form-data; boundary=xyz',
      },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7 never ends',
    });
    expect(broken.status).toBe(400);
    const noFile = new FormData();
    noFile.append('note', 'hello');
    const missing = await fetch(`${base}/api/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cast.contractor.token}` },
      body: noFile,
    });
    expect(missing.status).toBe(400);

    expect(await count('SELECT 1 FROM files')).toBe(before);
    expect(staged()).toBe(0);
  });

  it('attaches only files the submitter may use, publishes only what the kind allows, and 404s ids to strangers', async () => {
    const stranger = await createUser(await createOrganization('contractor'));
    const theirs = await upload(base, stranger.token, pdf(`stranger ${store} ${unique('x')}`), 'theirs.pdf');
    const photo = await upload(
      base,
      cast.contractor.token,
      await phonePhoto(store === 's3' ? '#77b' : '#77a'),
      'site.jpg',
    );
    const submit = (body: Record<string, unknown>) =>
      http<Report & Problem>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
        base,
        token: cast.contractor.token,
        body: { title: 'Evidence', ...body },
      });
    const before = await count('SELECT 1 FROM reports');
    const foreign = await submit({ kind: 'inspection_request', attachments: [{ fileId: theirs.body.id }] });
    expect([foreign.status, foreign.body.errors?.[0]?.field]).toEqual([400, 'attachments[0].fileId']);
    const unknown = await submit({ kind: 'inspection_request', attachments: [{ fileId: 'a'.repeat(64) }] });
    expect([unknown.status, unknown.body.errors?.[0]?.field]).toEqual([400, 'attachments[0].fileId']);
    // A material approval's attachments are never published (its kind's policy).
    const policy = await submit({
      kind: 'material_approval',
      attachments: [{ fileId: photo.body.id, public: true }],
    });
    expect([policy.status, policy.body.errors?.[0]?.field]).toEqual([400, 'attachments[0].public']);
    const twice = await submit({
      kind: 'inspection_request',
      attachments: [{ fileId: photo.body.id }, { fileId: photo.body.id }],
    });
    expect([twice.status, twice.body.errors?.[0]?.field]).toEqual([400, 'attachments[1].fileId']);
    expect(await count('SELECT 1 FROM reports')).toBe(before);
    // Someone who cannot read any report naming a file is told it does not exist.
    expect((await download(`${base}/api/v1/files/${photo.body.id}`, stranger.token)).status).toBe(404);

    // A private attachment stays private: only its uploader may publish it.
    const contract = pdf(`contract ${store} ${unique('c')}`);
    const mine = await upload(base, cast.contractor.token, contract, 'contract.pdf');
    const attached = await submit({ kind: 'inspection_request', attachments: [{ fileId: mine.body.id }] });
    expect(attached.status).toBe(201);
    const leak = await http<Problem>('POST', `/api/v1/projects/${cast.project.id}/documents`, {
      base,
      token: cast.supervisor.token,
      body: { fileId: mine.body.id, category: 'other', title: 'Leaked', public: true },
    });
    expect([leak.status, leak.body.errors?.[0]?.field]).toEqual([400, 'public']);
    // A stranger's name for the same bytes never shows in this project, however uploads are timed.
    await upload(base, stranger.token, contract, 'PAY-TO-ACCOUNT-999.pdf');
    await upload(base, cast.contractor.token, contract, 'contract.pdf');
    const read = await download(`${base}/api/v1/files/${mine.body.id}`, cast.supervisor.token);
    expect(read.headers.get('content-disposition')).toContain('contract.pdf');

    // A long name is cut at a character, never inside one.
    const emoji = await upload(
      base,
      cast.contractor.token,
      pdf(`emoji ${store} ${unique('e')}`),
      `${'😀'.repeat(300)}.pdf`,
    );
    expect(emoji.status).toBe(201);
    expect(emoji.body.name).toBe(`${'😀'.repeat(251)}.pdf`);
  });

  it('keeps project documents by title and version, publishes the public ones, and withdraws bytes without breaking the log', async () => {
    const photo = await upload(
      base,
      cast.supervisor.token,
      await phonePhoto(store === 's3' ? '#ab7' : '#aa7'),
      'north façade "final".jpg',
    );
    const plan = await upload(
      base,
      cast.supervisor.token,
      pdf(`drawing ${store} ${unique('d')}`),
      'A-101.pdf',
    );
    const add = (body: Record<string, unknown>, token = cast.supervisor.token) =>
      http<{ id: string; version: number; recordSeq: number | null } & Problem>(
        'POST',
        `/api/v1/projects/${cast.project.id}/documents`,
        { base, token, body },
      );
    const title = unique(`Site photo ${store}`);
    const first = await add({ fileId: photo.body.id, category: 'site_photo', title, public: true });
    expect([first.status, first.body.version]).toEqual([201, 1]);
    expect(first.body.recordSeq).toEqual(expect.any(Number));
    const second = await add({ fileId: plan.body.id, category: 'drawing', title: title.toUpperCase() });
    expect([second.status, second.body.version, second.body.recordSeq]).toEqual([201, 2, null]);
    const observer = await createUser(cast.agency);
    await addMember(cast.project, observer, 'observer');
    expect(
      (await add({ fileId: plan.body.id, category: 'drawing', title: 'x' }, observer.token)).status,
    ).toBe(403);
    const listed = await http<{ items: Array<{ id: string }> }>(
      'GET',
      `/api/v1/projects/${cast.project.id}/documents`,
      {
        base,
        token: cast.contractor.token,
      },
    );
    expect(listed.body.items.map((d) => d.id)).toEqual(
      expect.arrayContaining([first.body.id, second.body.id]),
    );

    const record = await recordAt(base, first.body.recordSeq as number);
    expect(record).toMatchObject({ type: 'document', document: { title, version: 1 } });
    const named = record?.document?.file.sha256 as string;
    const served = await download(`${base}/public/v1/files/${named}`);
    expect([served.status, sha256(served.bytes)]).toEqual([200, named]);
    // A name with quotes and non-ASCII letters cannot break the header.
    expect(served.headers.get('content-disposition')).toBe(
      `inline; filename="north fa_ade _final_.jpg"; filename*=UTF-8''north%20fa%C3%A7ade%20%22final%22.jpg`,
    );
    expect((await download(`${base}/public/v1/files/${plan.body.id}`)).status).toBe(404);
    expect(
      await count(`SELECT 1 FROM audit_events WHERE action = 'project.document_add' AND subject_id = $1`, [
        cast.project.id,
      ]),
    ).toBeGreaterThanOrEqual(2);

    // Withdrawn for a legal reason: the bytes are gone, the record and the log are intact.
    const admin = await asAdmin();
    const withdrawn = await http<{ withdrawn: string[] }>('POST', `/api/v1/admin/files/${named}/withdraw`, {
      base,
      token: admin,
      body: { reason: 'A passer-by’s face is recognizable' },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawn).toEqual(expect.arrayContaining([named, photo.body.id]));
    const gone = await download(`${base}/public/v1/files/${named}`);
    expect(gone.status).toBe(410);
    expect(gone.bytes.toString()).toContain('face is recognizable');
    expect((await download(`${base}/api/v1/files/${photo.body.id}`, cast.supervisor.token)).status).toBe(410);
    expect(await recordAt(base, first.body.recordSeq as number)).toEqual(record);
    const verified = await verify();
    expect(verified.stdout).toMatch(/withdrawn for a legal reason/);
    const { rows } = await db().query(
      `SELECT details FROM audit_events WHERE action = 'file.withdraw' AND subject_id = $1`,
      [named],
    );
    expect(rows).toHaveLength(1);

    // The record's page says what happened, and the gallery no longer shows the photo.
    const page = await (await fetch(`${base}/records/${first.body.recordSeq}?lang=en`)).text();
    expect(page).toContain('withdrawn (removed for a legal reason');
    expect(page).not.toContain(`href="/public/v1/files/${named}"`);
    // The same pixels under other bytes (a tail after the image) cannot bring the copy back.
    const again = await upload(
      base,
      cast.supervisor.token,
      Buffer.concat([await phonePhoto(store === 's3' ? '#ab7' : '#aa7'), Buffer.from('tail')]),
      'north façade again.jpg',
    );
    expect([again.status, again.body.publishable]).toEqual([201, false]);
    const republished = await add({ fileId: again.body.id, category: 'site_photo', title, public: true });
    expect([republished.status, republished.body.errors?.[0]?.field]).toEqual([400, 'public']);
    // A second withdrawal keeps the first reason.
    const twice = await http('POST', `/api/v1/admin/files/${named}/withdraw`, {
      base,
      token: admin,
      body: { reason: 'another reason' },
    });
    expect(twice.status).toBe(410);
    expect((await download(`${base}/public/v1/files/${named}`)).bytes.toString()).toContain(
      'face is recognizable',
    );
  });
});
