/**
 * The file types OpenCCS accepts, by the names UPLOAD_TYPES lists: what their bytes look like
 * (the MIME type `file-type` sniffs, or our own check for DXF, which is text), the extensions a
 * file of the type may be named with, and the content type it is served as.
 */
export interface FileTypeSpec {
  readonly name: string;
  /** What sniffing the bytes says for a file of this type. */
  readonly sniffed: readonly string[];
  /** Extensions (lower case, without the dot) a name of this type may end with. */
  readonly extensions: readonly string[];
  /** The content type it is stored and served as. */
  readonly contentType: string;
  /** A photo: published as a copy without its metadata, with a thumbnail. */
  readonly image: boolean;
}

/** Legacy Office files are OLE2 compound files: their bytes alone do not say which application. */
const CFB = 'application/x-cfb';

export const FILE_TYPES: readonly FileTypeSpec[] = [
  {
    name: 'pdf',
    sniffed: ['application/pdf'],
    extensions: ['pdf'],
    contentType: 'application/pdf',
    image: false,
  },
  {
    name: 'jpeg',
    sniffed: ['image/jpeg'],
    extensions: ['jpg', 'jpeg'],
    contentType: 'image/jpeg',
    image: true,
  },
  { name: 'png', sniffed: ['image/png'], extensions: ['png'], contentType: 'image/png', image: true },
  { name: 'webp', sniffed: ['image/webp'], extensions: ['webp'], contentType: 'image/webp', image: true },
  // Photos from iPhones. Decoding HEVC is not part of the image library's build, so a HEIC file is
  // kept and shown to staff but cannot be published (its location data could not be removed).
  {
    name: 'heic',
    sniffed: ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'],
    extensions: ['heic', 'heif'],
    contentType: 'image/heic',
    image: false,
  },
  { name: 'doc', sniffed: [CFB], extensions: ['doc'], contentType: 'application/msword', image: false },
  {
    name: 'docx',
    sniffed: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    extensions: ['docx'],
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    image: false,
  },
  { name: 'xls', sniffed: [CFB], extensions: ['xls'], contentType: 'application/vnd.ms-excel', image: false },
  {
    name: 'xlsx',
    sniffed: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    extensions: ['xlsx'],
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    image: false,
  },
  {
    name: 'ppt',
    sniffed: [CFB],
    extensions: ['ppt'],
    contentType: 'application/vnd.ms-powerpoint',
    image: false,
  },
  {
    name: 'pptx',
    sniffed: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    extensions: ['pptx'],
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    image: false,
  },
  {
    name: 'odt',
    sniffed: ['application/vnd.oasis.opendocument.text'],
    extensions: ['odt'],
    contentType: 'application/vnd.oasis.opendocument.text',
    image: false,
  },
  {
    name: 'ods',
    sniffed: ['application/vnd.oasis.opendocument.spreadsheet'],
    extensions: ['ods'],
    contentType: 'application/vnd.oasis.opendocument.spreadsheet',
    image: false,
  },
  {
    name: 'odp',
    sniffed: ['application/vnd.oasis.opendocument.presentation'],
    extensions: ['odp'],
    contentType: 'application/vnd.oasis.opendocument.presentation',
    image: false,
  },
  {
    name: 'dwg',
    sniffed: ['image/vnd.dwg'],
    extensions: ['dwg'],
    contentType: 'image/vnd.dwg',
    image: false,
  },
  {
    name: 'dxf',
    sniffed: ['image/vnd.dxf'],
    extensions: ['dxf'],
    contentType: 'image/vnd.dxf',
    image: false,
  },
];

const KNOWN_TYPES = new Set(FILE_TYPES.flatMap((t) => [t.contentType, ...t.sniffed]));

export function fileTypeNamed(name: string): FileTypeSpec | undefined {
  return FILE_TYPES.find((t) => t.name === name);
}

/** The extension of a file name (lower case, without the dot), or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export type Classified =
  { readonly ok: true; readonly type: FileTypeSpec } | { readonly ok: false; readonly reason: string };

/**
 * Which allowed type a file is, from what its bytes are (`sniffed`, a MIME type or undefined) and
 * what its sender says it is (its name's extension, the part's content type). Refused when the
 * bytes are of no allowed type, or are not what the name claims: an `.exe` named `.pdf`, a PDF
 * named `.jpg`.
 */
export function classify(
  allowed: readonly string[],
  sniffed: string | undefined,
  name: string,
  declaredType: string | undefined,
): Classified {
  const candidates = FILE_TYPES.filter(
    (t) => allowed.includes(t.name) && sniffed && t.sniffed.includes(sniffed),
  );
  if (candidates.length === 0)
    return {
      ok: false,
      reason: sniffed
        ? `the file is ${sniffed}, which is not an allowed type (${allowed.join(', ')})`
        : `the file's contents are not of an allowed type (${allowed.join(', ')})`,
    };
  const extension = extensionOf(name);
  const named = extension ? candidates.find((t) => t.extensions.includes(extension)) : candidates[0];
  if (!named)
    return {
      ok: false,
      reason: `the file is named .${extension} but its contents are ${sniffed}`,
    };
  // A content type we know that names another type contradicts the bytes; one we do not know
  // (browsers send `application/acad` for drawings, `application/octet-stream` for anything) says nothing.
  const declared = declaredType?.split(';', 1)[0]?.trim().toLowerCase();
  if (
    declared &&
    KNOWN_TYPES.has(declared) &&
    declared !== named.contentType &&
    !named.sniffed.includes(declared)
  )
    return { ok: false, reason: `the file was sent as ${declared} but its contents are ${sniffed}` };
  return { ok: true, type: named };
}
