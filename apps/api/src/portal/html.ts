/**
 * Server-side HTML with escaping by default: every interpolated value is escaped unless it is
 * itself Html (another template, or `raw` for trusted markup). No framework runtime reaches the
 * browser; pages work without JavaScript.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

/**
 * A template's own text with its source indentation folded: every run of white space that holds
 * a line break becomes one space. Pages lose a third of their bytes and nothing a reader sees (a
 * line break and a space render alike, and a textarea drops its leading line break); values put
 * into a template are never touched. Computed once per template.
 */
const folded = new WeakMap<TemplateStringsArray, readonly string[]>();
function fold(strings: TemplateStringsArray): readonly string[] {
  let parts = folded.get(strings);
  if (!parts) {
    parts = strings.map((s) => s.replace(/\s*\n\s*/g, ' '));
    folded.set(strings, parts);
  }
  return parts;
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(
    fold(strings).reduce((out, s, i) => out + s + (i < parts.length ? render(parts[i] as Part) : ''), ''),
  );
}

/** Trusted markup, never user data. */
export function raw(markup: string): Html {
  return new Html(markup);
}
