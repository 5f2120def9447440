/**
 * Validates an OC4IDS 0.9 project package offline, as the OC4IDS Data Review Tool does: the PyPI
 * package libcoveoc4ids, installed into `.tools/libcoveoc4ids` (`.ci/run` installs it), run by
 * tools/oc4ids-validate.py against the vendored schema and codelists in tests/fixtures/oc4ids-0.9.4.
 * One run takes about a second.
 *
 * A conforming package has no validationErrors, no additionalFields, no closed codelist values
 * outside their codelist (libcove reports those there, not as validationErrors) and, for good
 * practice, no otherChecks findings.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '../..');
const script = join(root, 'tools', 'oc4ids-validate.py');
const toolDir = join(root, '.tools', 'libcoveoc4ids');
const INSTALL =
  'python3 -m pip install --quiet --disable-pip-version-check --target .tools/libcoveoc4ids libcoveoc4ids==0.9.1';

/** One kind of schema error (libcove groups them), with every place it occurs. */
export interface Oc4idsValidationError {
  message: string;
  /** The JSON Schema keyword: type, required, minLength, format, … */
  validator: string;
  /** The field's path without array indexes, e.g. `projects/title`. */
  path_no_number: string;
  values: { path: string; value?: unknown }[];
  [key: string]: unknown;
}

/** A field the schema does not define (the top-most one; the fields under it are its descendance). */
export interface Oc4idsAdditionalField {
  /** e.g. `/projects/colour` */
  field: string;
  path: string;
  field_name: string;
  count: number;
  examples: unknown[];
  additional_field_descendance: Record<string, unknown>;
  [key: string]: unknown;
}

/** Codes outside a codelist, by field path (e.g. `projects/status`). */
export interface Oc4idsCodelistValues {
  field: string;
  codelist: string;
  isopen: boolean;
  values: string[];
  [key: string]: unknown;
}

export interface Oc4idsCheck {
  check_id: string;
  message: string;
  paths?: string[];
  path_values?: { path: string; value: unknown }[];
}

export interface Oc4idsReport {
  schemaVersion: string;
  validationErrors: Oc4idsValidationError[];
  additionalFields: Oc4idsAdditionalField[];
  additionalCodelistValues: {
    closed: Record<string, Oc4idsCodelistValues>;
    open: Record<string, Oc4idsCodelistValues>;
  };
  otherChecks: {
    /** missing-values, missing-currency, missing-org-refs */
    additionalChecks: Oc4idsCheck[];
    /** invalid-project-ids */
    conformanceChecks: Oc4idsCheck[];
    deprecatedFields: Record<string, unknown>;
    structureWarnings: Record<string, unknown>;
  };
}

export async function validateOc4ids(pkg: unknown): Promise<Oc4idsReport> {
  if (!existsSync(join(toolDir, 'libcoveoc4ids'))) {
    throw new Error(
      `OC4IDS validation needs libcoveoc4ids in ${toolDir}; install it from ${root} with:\n  ${INSTALL}`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'openccs-oc4ids-'));
  try {
    const file = join(dir, 'package.json');
    await writeFile(file, JSON.stringify(pkg));
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)('python3', [script, file], {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      }));
    } catch (e) {
      // execFile's message carries the command and its stderr.
      throw new Error(`tools/oc4ids-validate.py failed: ${(e as Error).message}`);
    }
    return JSON.parse(stdout) as Oc4idsReport;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
