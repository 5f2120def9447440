/**
 * Interface text for the portal, from one file per language (locales/<lang>.json): adding a
 * language is adding a file (and listing it here). Dates, numbers and money are formatted by Intl.
 */
import ar from './locales/ar.json';
import en from './locales/en.json';
import fr from './locales/fr.json';
import ko from './locales/ko.json';

type Messages = Record<keyof typeof en, string>;

export const LOCALES = {
  ko: ko as Messages,
  en: en as Messages,
  fr: fr as Messages,
  ar: ar as Messages,
} as const;
export type Locale = keyof typeof LOCALES;
export type MessageKey = keyof typeof en;

const RTL: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && value in LOCALES;
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
  const messages = LOCALES[locale];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  return {
    locale,
    dir: RTL.has(locale) ? 'rtl' : 'ltr',
    t: (key, vars = {}) =>
      Object.entries(vars).reduce(
        (text, [name, value]) =>
          text.replaceAll(
            `{${name}}`,
            typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value,
          ),
        messages[key] ?? LOCALES.en[key] ?? key,
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
