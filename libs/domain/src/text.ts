/**
 * What text OpenCCS accepts, as pure rules. Every string that reaches a workflow, a database
 * column, a log record, a CSV cell or an XML feed must be something each of them accepts: no NUL
 * (PostgreSQL refuses it in text and jsonb), no lone surrogates (not encodable as UTF-8), no
 * control characters or noncharacters (illegal in XML 1.0 and invisible to readers). Names and
 * titles are one line and carry no bidirectional overrides, which can make a title read
 * differently from what it is ("Trojan Source", CVE-2021-42574).
 *
 * The API's edge applies `textProblem` to every string of every request; fields that are a
 * single line also apply `lineProblem`. Text is stored in Unicode Normalization Form C, so the
 * same title typed on two keyboards is the same title.
 */

/** Why a string is refused anywhere, or `null` when every layer accepts it. */
export function textProblem(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        const codePoint = (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        if ((codePoint & 0xfffe) === 0xfffe) return `contains the noncharacter ${hex(codePoint)}`;
        i++;
        continue;
      }
      return `contains a lone surrogate (${hex(unit)}), which is not text`;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff)
      return `contains a lone surrogate (${hex(unit)}), which is not text`;
    if (unit === 0) return 'contains a NUL character (U+0000)';
    if (isControl(unit)) return `contains the control character ${hex(unit)}`;
    if ((unit >= 0xfdd0 && unit <= 0xfdef) || unit === 0xfffe || unit === 0xffff)
      return `contains the noncharacter ${hex(unit)}`;
  }
  return null;
}

/** Why a one-line text (a title, a name) is refused beyond `textProblem`, or `null`. */
export function lineProblem(text: string): string | null {
  const general = textProblem(text);
  if (general) return general;
  const line = /[\t\n\r\u2028\u2029]/.exec(text);
  if (line) return `must be a single line (contains ${hex(line[0].charCodeAt(0))})`;
  const bidi = BIDI_CONTROLS.exec(text);
  if (bidi) return `contains the bidirectional control ${hex(bidi[0].charCodeAt(0))}`;
  if (text.length > 0 && !VISIBLE.test(text)) return 'has no visible character';
  return null;
}

/**
 * A character that shows: not a space, not a format or control character, not one a renderer
 * ignores (zero-width space, Hangul filler, variation selectors). A title of only those reads as
 * blank in every list.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;

/** Embeddings, overrides and isolates: they reorder what is displayed without changing the text. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

/** C0 controls but tab, line feed and carriage return; DEL; C1 controls. */
function isControl(unit: number): boolean {
  return (
    (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) ||
    unit === 0x7f ||
    (unit >= 0x80 && unit <= 0x9f)
  );
}

const hex = (n: number): string => `U+${n.toString(16).toUpperCase().padStart(4, '0')}`;

/** The stored form of any accepted text. */
export function normalizeText(text: string): string {
  return text.normalize('NFC');
}

/**
 * Replaces what `textProblem` refuses with U+FFFD, for output formats that must stay well formed
 * whatever an older record holds (XML 1.0 refuses control characters and noncharacters).
 */
export function replaceIllegalText(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

/** UTF-8 size of a value's JSON text, which is what Temporal and PostgreSQL store. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? '');
}

/** UTF-8 length without a Buffer, so workflows (no Node built-ins) can measure too. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
