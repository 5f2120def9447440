/**
 * A console form with files (a new report with its attachments), read as a stream. The form's
 * first part must be its CSRF token, checked before any file is read: a forged form stages
 * nothing. Files go to staging files while they are hashed (memory stays flat); text fields are
 * bounded. Anything wrong ends with a problem and removes what was staged.
 */
import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Request } from 'express';
import { MAX_ATTACHMENTS } from '@openccs/domain';
import { invalidRequest, ProblemException } from '../common/problem';
import { fileName, stage, tooLarge, type ReceivedFile } from '../files/upload';
import { CSRF_FIELD, tokensMatch } from './session';

export interface ReceivedForm {
  /** Text fields by name; a name sent more than once keeps every value. */
  readonly fields: Readonly<Record<string, string | string[]>>;
  /** The files of the file inputs, staged: the caller stores or removes them. */
  readonly files: readonly ReceivedFile[];
}

const MAX_FIELD_BYTES = 64 * 1024;

export async function receiveForm(
  req: Request,
  stagingDir: string,
  maxFileBytes: number,
  csrfToken: string,
): Promise<ReceivedForm> {
  if (!req.is('multipart/form-data'))
    throw new ProblemException('body_unsupported', 'This form is sent as multipart/form-data.');
  await mkdir(stagingDir, { recursive: true });
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        files: MAX_ATTACHMENTS,
        fileSize: maxFileBytes + 1,
        fields: 100,
        fieldSize: MAX_FIELD_BYTES,
        headerPairs: 20,
      },
      defParamCharset: 'utf8',
    });
  } catch (err) {
    throw invalidRequest([{ field: 'body', message: `the form cannot be read: ${(err as Error).message}` }]);
  }

  return new Promise<ReceivedForm>((resolve, reject) => {
    const fields: Record<string, string | string[]> = {};
    const files: Array<Promise<ReceivedFile>> = [];
    /** What is being written: each part, its staging file, and where it goes. */
    const writing: Array<{ part: { destroy(): void }; sink: WriteStream; path: string }> = [];
    let verified = false;
    let settled = false;
    const fail = (problem: ProblemException) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      // Whatever the client still sends is read and dropped, so the answer reaches it.
      req.resume();
      // A part cut off mid-file never finishes writing: end each one, then remove its file.
      const closed = writing.map(({ part, sink }) => {
        part.destroy();
        const done = sink.closed ? Promise.resolve() : once(sink, 'close').catch(() => undefined);
        sink.destroy();
        return done;
      });
      void Promise.all(closed)
        .then(() => Promise.all(writing.map(({ path }) => rm(path, { force: true }))))
        .then(
          () => reject(problem),
          () => reject(problem),
        );
    };
    const forged = () =>
      new ProblemException(
        'csrf_failed',
        'The form was not sent from this console session; reload it and try again.',
      );

    parser.on('field', (name, value, info) => {
      if (!verified) {
        // The token comes first, as the page puts it: nothing else is read before it is checked.
        if (name === CSRF_FIELD && tokensMatch(value, csrfToken)) verified = true;
        else fail(forged());
        return;
      }
      if (info.valueTruncated) {
        fail(invalidRequest([{ field: name, message: `${name} is longer than the form allows` }]));
        return;
      }
      const had = fields[name];
      fields[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
    });
    parser.on('file', (name, stream, info) => {
      // An empty file input still sends a part, without a name and without bytes.
      if (!verified || settled || !info.filename) {
        stream.resume();
        if (!verified) fail(forged());
        return;
      }
      const path = join(stagingDir, `${randomUUID()}.upload`);
      const { sink, done } = stage(stream, path);
      writing.push({ part: stream, sink, path });
      stream.on('limit', () => fail(tooLarge(maxFileBytes)));
      const staged = done.then(({ sha256, size }) => ({
        path,
        sha256,
        size,
        name: fileName(info.filename),
        declaredType: info.mimeType,
      }));
      staged.catch((err: unknown) =>
        fail(
          invalidRequest([{ field: name, message: `a file could not be read: ${(err as Error).message}` }]),
        ),
      );
      files.push(staged);
    });
    for (const limit of ['filesLimit', 'fieldsLimit', 'partsLimit'] as const)
      parser.on(limit, () =>
        fail(
          invalidRequest([
            { field: 'attachments', message: `at most ${MAX_ATTACHMENTS} files and 100 fields in one form` },
          ]),
        ),
      );
    parser.on('error', (err: Error) =>
      fail(invalidRequest([{ field: 'body', message: `the form is broken: ${err.message}` }])),
    );
    parser.on('close', () => {
      if (settled) return;
      if (!verified) return fail(forged());
      Promise.all(files).then(
        (received) => {
          if (settled) return;
          settled = true;
          resolve({ fields, files: received });
        },
        () => undefined, // reported by its own handler
      );
    });
    req.on('aborted', () => fail(invalidRequest([{ field: 'body', message: 'the form was interrupted' }])));
    req.pipe(parser);
  });
}
