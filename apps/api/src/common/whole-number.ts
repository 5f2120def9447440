/**
 * Whole numbers in a query string: digits only. `Number` would read `1e2`, `0x10`, ` 1` and the
 * empty string as numbers no client meant; the validation pipe and the public edge's cache key
 * read them the same way, through this one rule.
 */
import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';

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

/** A query parameter that is `true` or `false`, spelled so; anything else is refused by name. */
export const QueryFlag = (name: string): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean({ message: `${name} must be true or false` }),
  );
