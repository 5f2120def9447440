import { IsString, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { durationProblem, jsonBytes, KIND_KEY, lineProblem, MAX_TITLE_LENGTH } from '@openccs/domain';
import { applyDecorators, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { kindProblem, type Profile } from '@openccs/profile';
import { invalidRequest, ProblemException, type FieldError } from './problem';

/**
 * Rules of a request that depend on the deployment profile (a report kind must be one of its
 * kinds): a DTO class declares them as a static `profileRules`, and the validation pipe reports
 * them with the DTO's own problems, every bad field at once.
 */
export interface ProfileRules {
  profileRules?(value: Record<string, unknown>, profile: Profile): FieldError[];
}

/**
 * The rule of an optional `kind` field: one of the profile's kinds. Its type and spelling are the
 * DTO's to check (KIND_KEY), so a malformed kind is named once, not twice.
 */
export function kindRule(field: string, value: unknown, profile: Profile): FieldError[] {
  const problem =
    typeof value === 'string' && KIND_KEY.test(value) ? kindProblem(profile, field, value) : null;
  return problem ? [problem] : [];
}

class ProfileValidationPipe extends ValidationPipe {
  constructor(
    private readonly profile: Profile,
    options: ConstructorParameters<typeof ValidationPipe>[0],
  ) {
    super(options);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const rules = (metadata.metatype as ProfileRules | undefined)?.profileRules;
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    const extra = [
      // No request field takes null: a field is sent or left out. (PartialType marks fields
      // IsOptional, which would let a null through to the service.)
      ...(isObject && metadata.type === 'body'
        ? Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v === null)
            .map(([field]) => ({ field, message: `${field} may be left out, but not sent as null` }))
        : []),
      ...(rules && isObject ? rules(value as Record<string, unknown>, this.profile) : []),
    ];
    let result: unknown;
    try {
      result = await super.transform(value, metadata);
    } catch (err) {
      if (extra.length > 0 && err instanceof ProblemException && err.problem.errors)
        throw invalidRequest([...err.problem.errors, ...extra]);
      throw err;
    }
    if (extra.length > 0) throw invalidRequest(extra);
    return result;
  }
}

function flatten(errors: readonly ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The one validation pipe: strips nothing silently (unknown fields are refused), converts types,
 * and reports every bad field at once as a 400 problem.
 */
export function createValidationPipe(profile: Profile): ValidationPipe {
  return new ProfileValidationPipe(profile, {
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    // One message per bad field: the first rule it breaks.
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => invalidRequest(flatten(errors)),
  });
}

/**
 * May be left out, but not sent as null: the OpenAPI document declares these fields optional,
 * not nullable, and class-validator's IsOptional would let null through to the service.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

/**
 * A field's rules, run in the order given: its type first, then its range, length or size, then
 * its pattern — so a pattern never runs on an over-long string. class-validator runs a field's rules in the order they were registered — bottom-up for stacked
 * decorators — and the pipe reports the first that fails: stacked as `@IsInt() @Max(200)`,
 * `limit=zz` was answered "limit must not be greater than 200", and a comment sent as 5 "must
 * be shorter than or equal to 4000 characters".
 */
export const Rules = (...rules: PropertyDecorator[]): PropertyDecorator => applyDecorators(...rules);

/** The largest amount accepted; the database keeps numeric(20, 3). */
export const MAX_AMOUNT = 1e15;

/**
 * A finite amount within ±MAX_AMOUNT with at most three decimals. (class-validator's
 * maxDecimalPlaces throws on numbers JavaScript prints in exponent form, such as 5e-324.)
 */
export const IsAmount = (): PropertyDecorator =>
  ValidateBy({
    name: 'isAmount',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' &&
        Number.isFinite(value) &&
        Math.abs(value) <= MAX_AMOUNT &&
        Number(value.toFixed(3)) === value,
      defaultMessage: () => `value must be a number of at most ${MAX_AMOUNT} with at most 3 decimals`,
    },
  });

/**
 * A title or a name: one line, without bidirectional overrides (libs/domain/src/text.ts). Every
 * string is already checked for what no layer accepts by the input guard; this adds what a single
 * line must not contain.
 */
export const SingleLine = (): PropertyDecorator =>
  ValidateBy({
    name: 'isSingleLine',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || lineProblem(value) === null,
      defaultMessage: (args) => `${args?.property} ${lineProblem(String(args?.value))}`,
    },
  });

/**
 * An ISO 4217 currency in use (as Intl knows them): three capital letters are not enough — an
 * amount in "ZZZ" cannot be formatted for people nor published as open data (OC4IDS's currency
 * codelist is closed).
 */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const IsCurrency = (): PropertyDecorator =>
  ValidateBy({
    name: 'isCurrency',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && CURRENCIES.has(value),
      defaultMessage: () => 'currency must be an ISO 4217 code such as KRW or TND',
    },
  });

/** The title of a project, report or document: a visible character, one line, bounded. */
export const Title = (): PropertyDecorator =>
  applyDecorators(
    IsString(),
    Matches(/\S/, { message: 'title must not be blank' }),
    MaxLength(MAX_TITLE_LENGTH),
    SingleLine(),
  );

const INSTANT =
  /^((?:19|2[01])\d{2})-(\d{2})-(\d{2})(?:T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,6})?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d))?$/;

/** Whether `value` is a real day (no 30 February, which Date.parse rolls over) or an instant on one. */
export function isInstant(value: unknown): value is string {
  const m = typeof value === 'string' ? INSTANT.exec(value) : null;
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An instant (RFC 3339, with its offset) or a day (midnight UTC), in years PostgreSQL and people mean. */
export const IsInstant = (): PropertyDecorator =>
  ValidateBy({
    name: 'isInstant',
    validator: {
      validate: isInstant,
      defaultMessage: (args) =>
        `${args?.property} must be a date (2026-11-30) or an instant with its offset (2026-11-30T09:00:00Z), years 1900 to 2199`,
    },
  });

/** A JSON value whose UTF-8 text is at most `max` bytes. */
export const JsonSize = (max: number): PropertyDecorator =>
  ValidateBy({
    name: 'jsonSize',
    validator: {
      validate: (value: unknown) => jsonBytes(value) <= max,
      defaultMessage: (args) => `${args?.property} must be at most ${max / 1024} KiB as JSON`,
    },
  });

/** An ISO 8601 duration OpenCCS accepts (bounded; `positive` refuses zero; at least `minMinutes`). */
export const IsDuration = (positive: boolean, minMinutes = 0): PropertyDecorator =>
  ValidateBy({
    name: 'isDuration',
    validator: {
      validate: (value: unknown, args) =>
        durationProblem(args?.property ?? '', value, positive, minMinutes) === null,
      defaultMessage: (args) =>
        durationProblem(args?.property ?? '', args?.value, positive, minMinutes) ?? '',
    },
  });
