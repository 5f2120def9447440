/**
 * Whole numbers in a query string: digits only. `Number` would read `1e2`, `0x10`, ` 1` and the
 * empty string as numbers no client meant; the validation pipe and the public edge's cache key
 * read them the same way, through this one rule.
 */
import { Transform } from 'class-transformer';

export const DIGITS = /^\d{1,16}$/;

/** The number a query value spells in digits, or undefined. */
export function wholeNumber(value: string): number | undefined {
  return DIGITS.test(value) ? Number(value) : undefined;
}

/** A query parameter that is a whole number; anything else stays a string for the validators to refuse. */
export const WholeNumber = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (wholeNumber(value) ?? value) : value,
  );
