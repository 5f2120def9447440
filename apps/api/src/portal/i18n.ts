/**
 * Interface text for the portal, from one file per language (locales/<lang>.json): adding a
 * language is adding a file (and listing it here). Dates, numbers and money are formatted by Intl.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@openccs/config';
import en from './locales/en.json';

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

/** Every locales/<lang>.json, read once: adding a language is adding a file (English fills gaps). */
function loadLocales(): Record<string, Messages> {
  const dir = join(projectRoot(), 'apps/api/src/portal/locales');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => /^[a-z]{2,3}\.json$/.test(f))
      .sort((a, b) => (a === 'ko.json' ? -1 : b === 'ko.json' ? 1 : a.localeCompare(b)))
      .map((f) => [
        f.slice(0, -5),
        { ...en, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Partial<Messages>) },
      ]),
  );
}

export const LOCALES: Readonly<Record<string, Messages>> = loadLocales();
export type Locale = string;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(LOCALES, value);
}

/**
 * The languages a site offers: the profile's (the first is the default), then English, each only
 * if it has interface text.
 */
export function offeredLanguages(profileLanguages: readonly string[]): Locale[] {
  return [...new Set([...profileLanguages, 'en'])].filter(isLocale);
}

/** ?lang= wins, then the first offered language of Accept-Language, then the site's default. */
export function negotiate(
  query: unknown,
  acceptLanguage: string | undefined,
  offered?: readonly Locale[],
): Locale {
  const ok = (l: unknown): l is Locale => isLocale(l) && (!offered || offered.includes(l));
  if (ok(query)) return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
    if (ok(tag)) return tag;
  }
  return offered?.[0] ?? 'en';
}

/** What a site says beyond its interface text: its languages, and its report kinds' names. */
export interface Site {
  readonly languages: readonly Locale[];
  readonly kindNames: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface Translator {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  /** The languages the site offers, for the language switch. */
  readonly languages: readonly Locale[];
  /** A report kind's name in this language (the profile's names; the key if it has none). */
  kind(key: string): string;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** `key` for `count`, in the form its language's plural rules choose (`key.one`, …) when it has one. */
  count(key: MessageKey, count: number): string;
  date(iso: string | null): string;
  dateTime(iso: string): string;
  money(amount: { value: number; currency: string } | null): string;
  percent(ratio: number | null): string;
  /** A file size, in the units people read (kB, MB). */
  bytes(count: number): string;
}

export function translator(locale: Locale, site?: Site): Translator {
  const messages = LOCALES[locale] ?? (en as Messages);
  const languages = site?.languages ?? Object.keys(LOCALES);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  return {
    locale,
    dir: messages['lang.dir'] === 'rtl' ? 'rtl' : 'ltr',
    languages,
    kind: (key) => {
      const names = site?.kindNames[key];
      if (names) return names[locale] ?? names[languages[0] ?? 'en'] ?? names.en ?? key;
      const legacy = (messages as Record<string, string | undefined>)[`kind.${key}`];
      return legacy ?? key;
    },
    t: (key, vars = {}) =>
      Object.entries(vars).reduce(
        (text, [name, value]) =>
          text.replaceAll(
            `{${name}}`,
            typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value,
          ),
        messages[key] ?? key,
      ),
    count(key, count) {
      const form = `${key}.${new Intl.PluralRules(locale).select(count)}`;
      return this.t((form in messages ? form : key) as MessageKey, { count });
    },
    date: (iso) => (iso ? dateFormat.format(new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)) : '—'),
    dateTime: (iso) => `${dateTimeFormat.format(new Date(iso))} UTC`,
    money: (amount) =>
      amount
        ? new Intl.NumberFormat(locale, { style: 'currency', currency: amount.currency }).format(amount.value)
        : '—',
    percent: (ratio) =>
      ratio === null
        ? '—'
        : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(ratio),
    bytes: (count) => {
      const [value, unit] =
        count >= 1_000_000
          ? [count / 1_000_000, 'megabyte']
          : count >= 1_000
            ? [count / 1_000, 'kilobyte']
            : [count, 'byte'];
      return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(value);
    },
  };
}
