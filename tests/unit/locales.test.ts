/** Interface text: one file per language, each complete, each loaded — adding a language is adding a file. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES, negotiate, translator } from '../../apps/api/src/portal/i18n';

const dir = join(__dirname, '../../apps/api/src/portal/locales');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const en = JSON.parse(readFileSync(join(dir, 'en.json'), 'utf8')) as Record<string, string>;

describe('portal locales', () => {
  it('loads every file in locales/, Korean first', () => {
    expect(Object.keys(LOCALES).sort()).toEqual(files.map((f) => f.slice(0, -5)).sort());
    expect(Object.keys(LOCALES)[0]).toBe('ko');
  });

  it.each(files)('%s translates every key of en.json and says its direction', (file) => {
    const messages = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, string>;
    expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
    expect(['ltr', 'rtl']).toContain(messages['lang.dir']);
  });

  it('negotiates ?lang=, then Accept-Language, then English; formats with Intl', () => {
    expect(negotiate('ar', 'ko')).toBe('ar');
    expect(negotiate(undefined, 'fr-TN,fr;q=0.9,ar;q=0.8')).toBe('fr');
    expect(negotiate('xx', 'de-DE')).toBe('en');
    expect(translator('ar').dir).toBe('rtl');
    expect(translator('ko').money({ value: 4_820_000_000, currency: 'KRW' })).toBe('₩4,820,000,000');
    expect(translator('fr').money({ value: 1_250_000.5, currency: 'TND' })).toMatch(/1\s250\s000,500\sTND/);
  });
});
