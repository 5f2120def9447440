/**
 * What a file's bytes are, whatever it is called: `file-type` reads the few bytes it needs from
 * the file on disk. DXF drawings are text, which `file-type` does not classify, so they are
 * recognized here by their first group codes.
 */
import { open } from 'node:fs/promises';

interface FileTypeModule {
  fileTypeFromFile(path: string): Promise<{ ext: string; mime: string } | undefined>;
}
// file-type is an ES module only; Node ≥ 20.19 loads it with require() (engines says so), and
// jest transforms it (jest.config.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fileTypeFromFile } = require('file-type') as FileTypeModule;

/** The sniffed MIME type of the file at `path`, or undefined when its bytes say nothing known. */
export async function sniff(path: string): Promise<string | undefined> {
  const found = await fileTypeFromFile(path);
  if (found) return found.mime;
  return (await isDxf(path)) ? 'image/vnd.dxf' : undefined;
}

/**
 * An ASCII DXF starts with group code 0 and `SECTION` (optionally after 999 comments); a binary
 * one with its sentinel.
 */
async function isDxf(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(512), 0, 512, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.subarray(0, 22).toString('latin1') === 'AutoCAD Binary DXF\r\n\u001a\u0000') return true;
    const lines = head
      .toString('latin1')
      .split(/\r?\n/)
      .map((l) => l.trim());
    let i = 0;
    while (lines[i] === '999') i += 2;
    return lines[i] === '0' && lines[i + 1] === 'SECTION';
  } finally {
    await handle.close();
  }
}
