/**
 * Receiving one uploaded file: the multipart body is parsed as a stream (busboy) and the file part
 * goes to a staging file on disk while its SHA-256 is computed, so memory stays flat whatever the
 * size. Anything wrong ends with a problem and leaves no staging file behind: a body that is not
 * multipart (415), over MAX_UPLOAD_BYTES (413, refused from Content-Length before reading when it
 * says so), a broken body, no `file` part, or more than one part (400).
 */
import busboy from 'busboy';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { lineProblem, textProblem } from '@openccs/domain';
import { invalidRequest, ProblemException } from '../common/problem';

export interface ReceivedFile {
  /** The staging file: the caller stores or removes it. */
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  /** The name the sender gave it (a base name, NFC), for people to read. */
  readonly name: string;
  /** The part's Content-Type, as the sender declared it. */
  readonly declaredType: string | undefined;
}

/** Room for the multipart envelope around the file (boundaries, part headers). */
const ENVELOPE_BYTES = 64 * 1024;
const MAX_NAME_LENGTH = 255;

export function tooLarge(maxBytes: number): ProblemException {
  return new ProblemException(
    'file.too_large',
    `The file is larger than ${maxBytes} bytes (MAX_UPLOAD_BYTES); nothing was stored.`,
    { errors: [{ field: 'file', message: `file must be at most ${maxBytes} bytes` }] },
  );
}

/** The file's base name, as people read it: no path, one line, at most 255 characters. */
export function fileName(raw: string | undefined): string {
  // Browsers (and the WHATWG FormData) send a quote in a file name as %22.
  const base = (raw ?? '').replaceAll('%22', '"').split(/[\\/]/).pop()?.normalize('NFC').trim() ?? '';
  if (!base || textProblem(base) || lineProblem(base)) return 'file';
  // Counted in code points, so a cut never splits a character (PostgreSQL refuses half a pair);
  // the end is kept, with the extension people recognise a file by.
  const chars = Array.from(base);
  return chars.length > MAX_NAME_LENGTH ? chars.slice(chars.length - MAX_NAME_LENGTH).join('') : base;
}

/** A part other than `file`, named as it came when that name is printable. */
function unwantedPart(name: string | undefined): ProblemException {
  const shown = name && name.length <= 100 && !lineProblem(name) ? name : undefined;
  return invalidRequest([
    {
      field: shown ?? 'body',
      message: `${shown ? `"${shown}"` : 'a part'} is not one this endpoint takes; send only the part "file"`,
    },
  ]);
}

/** Streams a file part to a new staging file at `path`, hashing it on the way. */
export function stage(
  part: NodeJS.ReadableStream,
  path: string,
): { sink: WriteStream; done: Promise<{ sha256: string; size: number }> } {
  const hash = createHash('sha256');
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const sink = createWriteStream(path, { flags: 'wx' });
  return { sink, done: pipeline(part, counter, sink).then(() => ({ sha256: hash.digest('hex'), size })) };
}

export async function receiveUpload(
  req: Request,
  stagingDir: string,
  maxBytes: number,
): Promise<ReceivedFile> {
  if (!req.is('multipart/form-data'))
    throw new ProblemException(
      'body_unsupported',
      'Send the file as multipart/form-data, in a part named "file".',
    );
  const declaredLength = Number(req.headers['content-length']);
  if (Number.isFinite(declaredLength) && declaredLength > maxBytes + ENVELOPE_BYTES) throw tooLarge(maxBytes);
  await mkdir(stagingDir, { recursive: true });
  const path = join(stagingDir, `${randomUUID()}.upload`);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      // Limits fire once reached: one file, and room for one more part to refuse by name.
      limits: { files: 1, fileSize: maxBytes + 1, fields: 1, parts: 2, headerPairs: 20 },
      defParamCharset: 'utf8',
    });
  } catch (err) {
    throw invalidRequest([
      { field: 'body', message: `the multipart body cannot be read: ${(err as Error).message}` },
    ]);
  }

  return new Promise<ReceivedFile>((resolve, reject) => {
    let settled = false;
    let written: Promise<ReceivedFile> | undefined;
    let part: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
    let sink: WriteStream | undefined;
    const fail = (problem: ProblemException) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // Whatever the client still sends is read and dropped, so the answer reaches it.
      req.resume();
      part?.destroy();
      // The staging file goes once nothing writes to it any more.
      const closed = sink && !sink.closed ? once(sink, 'close').catch(() => undefined) : Promise.resolve();
      sink?.destroy();
      void closed
        .then(() => rm(path, { force: true }))
        .then(
          () => reject(problem),
          () => reject(problem),
        );
    };

    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        fail(unwantedPart(field));
        return;
      }
      stream.on('limit', () => fail(tooLarge(maxBytes)));
      part = stream;
      const staged = stage(stream, path);
      sink = staged.sink;
      written = staged.done.then(({ sha256, size }) => ({
        path,
        sha256,
        size,
        name: fileName(info.filename),
        declaredType: info.mimeType,
      }));
      written.catch((err: unknown) =>
        fail(
          invalidRequest([
            { field: 'file', message: `the file could not be read: ${(err as Error).message}` },
          ]),
        ),
      );
    });
    parser.on('field', (field) => fail(unwantedPart(field)));
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const)
      parser.on(limit, () =>
        fail(invalidRequest([{ field: 'body', message: 'send exactly one part, "file"' }])),
      );
    parser.on('error', (err: Error) =>
      fail(invalidRequest([{ field: 'body', message: `the multipart body is broken: ${err.message}` }])),
    );
    parser.on('close', () => {
      if (settled) return;
      if (!written) {
        fail(
          invalidRequest([{ field: 'file', message: 'file is required: a part named "file" with the file' }]),
        );
        return;
      }
      written.then(
        (file) => {
          if (settled) return;
          settled = true;
          resolve(file);
        },
        () => undefined, // reported by its own handler
      );
    });
    req.on('aborted', () => fail(invalidRequest([{ field: 'body', message: 'the upload was interrupted' }])));
    req.pipe(parser);
  });
}
