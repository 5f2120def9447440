#!/usr/bin/env python3
"""Validate an OC4IDS 0.9 project package offline, with libcoveoc4ids (the library behind the
OC4IDS Data Review Tool), against the vendored schema and codelists in tests/fixtures/oc4ids-0.9.4.

    python3 tools/oc4ids-validate.py PACKAGE.json

Prints one JSON report on stdout and exits 0 whatever the data's problems:

    {"schemaVersion": "0.9.4",
     "validationErrors": [...],          # schema errors, one per kind, each with its "values"
     "additionalFields": [...],          # fields the schema does not define (top-most ones)
     "additionalCodelistValues": {"closed": {...}, "open": {...}},
     "otherChecks": {"additionalChecks": [...], "conformanceChecks": [...],
                     "deprecatedFields": {...}, "structureWarnings": {...}}}

A code missing from a closed codelist is reported under additionalCodelistValues.closed, not under
validationErrors (libcove skips the schema's enum errors for codelist fields).
Exits 2 on a bad command line or a file that cannot be read or is not JSON, 1 if the tool fails
(not installed, schema unresolvable).

libcoveoc4ids is installed, with its dependencies, into .tools/libcoveoc4ids:
    python3 -m pip install --quiet --disable-pip-version-check --target .tools/libcoveoc4ids libcoveoc4ids==0.9.1
"""

import csv
import json
import sys
from copy import deepcopy
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
TOOL_DIR = ROOT / ".tools" / "libcoveoc4ids"
SCHEMA_DIR = ROOT / "tests" / "fixtures" / "oc4ids-0.9.4"
SCHEMA_VERSION = "0.9.4"
INSTALL = (
    "python3 -m pip install --quiet --disable-pip-version-check --target .tools/libcoveoc4ids libcoveoc4ids==0.9.1"
)

if not (TOOL_DIR / "libcoveoc4ids").is_dir():
    sys.exit(f"oc4ids-validate: libcoveoc4ids is not installed in {TOOL_DIR}; from {ROOT} run:\n  {INSTALL}")
sys.path.insert(0, str(TOOL_DIR))

import jsonref  # noqa: E402
from libcove.lib.common import get_schema_codelist_paths  # noqa: E402
from libcoveoc4ids.common_checks import common_checks_oc4ids  # noqa: E402
from libcoveoc4ids.config import LibCoveOC4IDSConfig  # noqa: E402
from libcoveoc4ids.schema import SchemaOC4IDS  # noqa: E402


def local_config():
    """A schema_host that is a directory: libcove reads the package schema from it, and the
    validator resolves the package schema's $ref to the project schema in it (a plain path is
    opened, only an http(s) one is fetched)."""
    host = f"{SCHEMA_DIR}/"
    return LibCoveOC4IDSConfig(
        {
            "schema_version": SCHEMA_VERSION,
            "schema_version_choices": {SCHEMA_VERSION: (SCHEMA_VERSION, host)},
            "schema_host": host,
            "schema_codelists": {"0.9": f"{SCHEMA_DIR}/codelists/"},
        }
    )


def load_codelist(path):
    """A codelist CSV as libcove's load_codelist reads one: {Code: Title}."""
    with open(path, encoding="utf-8", newline="") as f:
        return {row["Code"]: row.get("Title") for row in csv.DictReader(f)}


class LocalSchemaOC4IDS(SchemaOC4IDS):
    """What libcove fetches over HTTP whatever the schema_host, read from disk instead: the project
    schema (SchemaJsonMixin.schema_str), the $refs when dereferencing (its jsonref loader fetches any
    $ref written as an http(s) URL, as the package schema's is) and the codelists (which, when the
    fetch fails, libcove silently leaves out, so no codelist check would run)."""

    @cached_property
    def schema_str(self):
        return Path(self.schema_url).read_text(encoding="utf-8")

    def deref_schema(self, schema_str):  # as SchemaJsonMixin.deref_schema, with a local loader
        def loader(uri, **kwargs):
            name = PurePosixPath(urlparse(uri).path).name
            return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"), **kwargs)

        try:
            schema = jsonref.loads(schema_str, loader=loader)
            repr(schema)  # resolve every $ref now, as libcove does
            return schema
        except jsonref.JsonRefError as e:
            self.json_deref_error = e.message
            return {}

    def process_codelists(self):  # as SchemaOC4IDS.process_codelists, reading local files
        self.core_codelist_schema_paths = get_schema_codelist_paths(self, use_extensions=False)
        self.extended_codelist_schema_paths = get_schema_codelist_paths(self, use_extensions=True)
        names = sorted({value[0] for value in self.core_codelist_schema_paths.values()})
        self.core_codelists = {name: load_codelist(Path(self.codelists) / name) for name in names}
        self.extended_codelists = deepcopy(self.core_codelists)


def plain(value):
    """JSON-ready: tuples and sets as lists, dict keys as strings."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    return value


def report(context):
    validation_errors = []
    for key, values in context["validation_errors"]:
        # libcove groups the errors by a JSON-encoded description of their kind.
        error = {k: v for k, v in json.loads(key).items() if v is not None}
        error["values"] = values
        validation_errors.append(error)

    additional_fields = [
        {"field": field, **info}
        for field, info in context["additional_fields"].items()
        if info.get("root_additional_field")
    ]

    return plain(
        {
            "schemaVersion": context.get("version_used"),
            "validationErrors": validation_errors,
            "additionalFields": additional_fields,
            "additionalCodelistValues": {
                "closed": context["additional_closed_codelist_values"],
                "open": context["additional_open_codelist_values"],
            },
            "otherChecks": {
                "additionalChecks": context["additional_checks"],
                "conformanceChecks": context["conformance_checks"],
                "deprecatedFields": context.get("deprecated_fields", {}),
                "structureWarnings": context.get("structure_warnings", {}),
            },
        }
    )


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} PACKAGE.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        print(f"oc4ids-validate: cannot read {argv[1]}: {e}", file=sys.stderr)
        return 2
    if not isinstance(data, dict):
        # libcove expects an object; report a non-object package as the schema's type error.
        data_report = {
            "schemaVersion": SCHEMA_VERSION,
            "validationErrors": [
                {"message": "The project package is not a JSON object", "validator": "type", "values": [{"path": ""}]}
            ],
            "additionalFields": [],
            "additionalCodelistValues": {"closed": {}, "open": {}},
            "otherChecks": {"additionalChecks": [], "conformanceChecks": [], "deprecatedFields": {}, "structureWarnings": {}},
        }
        print(json.dumps(data_report, indent=2))
        return 0

    schema = LocalSchemaOC4IDS(local_config())
    stdout, sys.stdout = sys.stdout, sys.stderr  # keep stdout for the report alone
    try:
        context = common_checks_oc4ids({"file_type": "json"}, "", data, schema, cache=False)
    finally:
        sys.stdout = stdout
    if getattr(schema, "json_deref_error", None):  # libcove would carry on with an empty schema
        print(f"oc4ids-validate: cannot resolve the schema: {schema.json_deref_error}", file=sys.stderr)
        return 1
    print(json.dumps(report(context), indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
