/**
 * Interface text for the portal, from one file per language (locales/<lang>.json): adding a
 * language is adding a file (and listing it here). Dates, numbers and money are formatted by Intl.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@openccs/devstack';
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

/** ?lang= wins, then the first supported language of Accept-Language, then English. */
export function negotiate(query: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(query)) return query;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
    if (isLocale(tag)) return tag;
  }
  return 'en';
}

export interface Translator {
  readonly locale: Locale;
  readonly dir: 'ltr' | 'rtl';
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  date(iso: string | null): string;
  dateTime(iso: string): string;
  money(amount: { value: number; currency: string } | null): string;
  percent(ratio: number | null): string;
}

export function translator(locale: Locale): Translator {
  const messages = LOCALES[locale] ?? (en as Messages);
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  return {
    locale,
    dir: messages['lang.dir'] === 'rtl' ? 'rtl' : 'ltr',
    t: (key, vars = {}) =>
      Object.entries(vars).reduce(
        (text, [name, value]) =>
          text.replaceAll(
            `{${name}}`,
            typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value,
          ),
        messages[key] ?? key,
      ),
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
  };
}
