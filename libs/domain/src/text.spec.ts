import fc from 'fast-check';
import { jsonBytes, lineProblem, normalizeText, replaceIllegalText, textProblem, utf8Length } from './text';

describe('textProblem: what no layer accepts', () => {
  it.each([
    ['a NUL', 'a\u0000b', 'NUL'],
    ['a lone high surrogate', 'x\ud800', 'lone surrogate'],
    ['a lone low surrogate', '\udc00x', 'lone surrogate'],
    ['a reversed pair', '\udc00\ud800', 'lone surrogate'],
    ['a C0 control', 'bell\u0007', 'U+0007'],
    ['escape', '\u001b[31m', 'U+001B'],
    ['DEL', 'x\u007f', 'U+007F'],
    ['a C1 control', 'x\u0085', 'U+0085'],
    ['U+FFFE', 'x\ufffe', 'noncharacter'],
    ['U+FFFF', '\uffff', 'noncharacter'],
    ['U+FDD0', '\ufdd0', 'noncharacter'],
    ['an astral noncharacter', '\ud83f\udffe', 'U+1FFFE'],
  ])('refuses %s', (_, text, why) => {
    expect(textProblem(text)).toContain(why);
  });

  it.each([
    ['Hangul', '교량 내진보강 공사'],
    ['Arabic with a right-to-left mark', 'تقرير\u200f التقدم'],
    ['emoji (a surrogate pair)', 'site 🏗️ photo'],
    ['tab, line feed and carriage return', 'a\tb\r\nc'],
    ['the empty string', ''],
  ])('accepts %s', (_, text) => {
    expect(textProblem(text)).toBeNull();
  });

  it('accepts exactly what PostgreSQL and XML 1.0 accept, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const refused = textProblem(text) !== null;
        // Well-formed UTF-16, and none of XML 1.0's excluded characters or Unicode's noncharacters.
        const ok =
          !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text) &&
          !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]/.test(text) &&
          ![...text].some((c) => ((c.codePointAt(0) ?? 0) & 0xfffe) === 0xfffe);
        expect(refused).toBe(!ok);
      }),
      { seed: 11, numRuns: 2_000 },
    );
  });
});

describe('lineProblem: titles and names', () => {
  it.each([
    ['a line feed', 'two\nlines', 'single line'],
    ['a tab', 'a\tb', 'single line'],
    ['a line separator', 'a\u2028b', 'single line'],
    ['a right-to-left override', 'invoice\u202egnp.exe', 'bidirectional'],
    ['an isolate', 'a\u2066b\u2069', 'bidirectional'],
    ['only spaces', '   ', 'no visible character'],
    ['only zero-width spaces', '\u200b\u200b', 'no visible character'],
    ['only a Hangul filler', '\u3164', 'no visible character'],
    ['only a soft hyphen and a word joiner', '\u00ad\u2060', 'no visible character'],
  ])('refuses %s', (_, text, why) => {
    expect(lineProblem(text)).toContain(why);
  });

  it('accepts ordinary right-to-left text', () => {
    expect(lineProblem('مشروع جسر المدينة')).toBeNull();
  });

  it('accepts a title with invisible characters among visible ones, and a Hangul title', () => {
    expect(lineProblem('a\u200bb')).toBeNull();
    expect(lineProblem('한강 교량 보수 공사')).toBeNull();
  });
});

describe('normal form and sizes', () => {
  it('stores text in NFC: the same title typed two ways is the same title', () => {
    expect(normalizeText('Cafe\u0301')).toBe('Café');
    expect(normalizeText('\u1100\u1161')).toBe('가');
  });

  it('measures UTF-8 as Buffer does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
      { seed: 12 },
    );
    expect(jsonBytes({ a: '가' })).toBe(Buffer.byteLength('{"a":"가"}'));
  });

  it('replaces what XML refuses, and nothing else', () => {
    expect(replaceIllegalText('a\u0001b\ufffe\ud800c\u0085')).toBe('a\ufffdb\ufffd\ufffdc\ufffd');
    expect(replaceIllegalText('가\tb\n🏗️')).toBe('가\tb\n🏗️');
  });
});
