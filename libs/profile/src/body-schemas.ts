/**
 * Report bodies checked against their kind's JSON Schema (2020-12, with ajv): the API's edge for
 * `body`, at submission and resubmission, against the schema the report snapshotted. Every
 * problem names its field as `body.<path>`.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FieldProblem, JsonSchema, KindSnapshot } from '@openccs/domain';

/** Each property may carry its label in each language; a label, not a rule. */
export const TITLES_KEYWORD = 'x-titles';

export function schemaCompiler(): Ajv2020 {
  // multipleOf with a tolerance: 2.675 is a multiple of 0.001 although 2.675 / 0.001 is not an
  // integer in binary floating point (amounts in millimes would otherwise fail one time in seven).
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, multipleOfPrecision: 9 });
  addFormats(ajv, ['date', 'date-time', 'time', 'email', 'uri']);
  ajv.addKeyword({ keyword: TITLES_KEYWORD, schemaType: 'object' });
  return ajv;
}

const ajv = schemaCompiler();
const compiled = new Map<string, ValidateFunction>();

function validatorFor(kind: Pick<KindSnapshot, 'body' | 'schemaVersion'>): ValidateFunction {
  let validate = compiled.get(kind.schemaVersion);
  if (!validate) {
    validate = ajv.compile(kind.body as JsonSchema & object);
    // Legacy snapshots share the version "legacy" and the same permissive schema.
    compiled.set(kind.schemaVersion, validate);
  }
  return validate;
}

/** Why `body` does not fit the kind's schema, one problem per field (at most 20). */
export function bodyProblems(
  kind: Pick<KindSnapshot, 'body' | 'schemaVersion'>,
  body: unknown,
): FieldProblem[] {
  const validate = validatorFor(kind);
  if (validate(body)) return [];
  return (validate.errors ?? []).slice(0, 20).map(toFieldProblem);
}

function toFieldProblem(error: ErrorObject): FieldProblem {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('');
  const params = error.params as {
    missingProperty?: string;
    additionalProperty?: string;
    allowedValues?: unknown[];
  };
  if (error.keyword === 'required' && params.missingProperty) {
    const field = `body${path}.${params.missingProperty}`;
    return { field, message: `${field} is required` };
  }
  if (error.keyword === 'additionalProperties' && params.additionalProperty) {
    const field = `body${path}.${params.additionalProperty}`;
    return { field, message: `${field} is not a field of this kind of report` };
  }
  const field = `body${path}`;
  if (error.keyword === 'enum' && params.allowedValues)
    return {
      field,
      message: `${field} must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
    };
  return { field, message: `${field} ${error.message ?? 'is invalid'}` };
}
