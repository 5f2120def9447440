/**
 * The public API's response shapes as OpenAPI 3.0 schemas. They are the contract citizens and
 * open-data users build on; schemathesis checks every response against them, so a field added to
 * a record without being added here fails CI instead of surprising a reader.
 */
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { DOCUMENT_CATEGORIES, FLAG_CODES } from '@openccs/disclosure';
import {
  AMOUNT_MEANINGS,
  FEEDBACK_CATEGORIES,
  ORGANIZATION_KINDS,
  PROJECT_ROLES,
  PROJECT_STATUSES,
} from '@openccs/domain';

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
const str: SchemaObject = { type: 'string' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const hex64: SchemaObject = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
/** Every property required and no others: a response with an undocumented field fails the check. */
const object = (properties: Record<string, SchemaObject>): SchemaObject => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});
/** Adds properties a record may carry (newer records), without requiring them of older ones. */
const withOptional = (schema: SchemaObject, properties: Record<string, SchemaObject>): SchemaObject => ({
  ...schema,
  properties: { ...schema.properties, ...properties },
});
const page = (item: string): SchemaObject =>
  object({ items: { type: 'array', items: ref(item) }, nextCursor: nullable(str) });

/** A text in each of the profile's languages. */
const names: SchemaObject = { type: 'object', additionalProperties: { type: 'string' } };

const money = object({ value: { type: 'number' }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } });

const location = object({
  address: nullable(str),
  lat: nullable({ type: 'number', minimum: -90, maximum: 90 }),
  lon: nullable({ type: 'number', minimum: -180, maximum: 180 }),
});
const seqs: SchemaObject = {
  type: 'array',
  items: { type: 'integer', minimum: 0 },
  description: 'Log positions of the records it is computed from.',
};
const asOf = object({ treeSize: { type: 'integer', minimum: 0 } });
/** A count over a basis, with its rate and the records it is computed from. */
const share = object({
  count: { type: 'integer', minimum: 0 },
  of: { type: 'integer', minimum: 0 },
  rate: nullable({ type: 'number', minimum: 0, maximum: 1 }),
  records: seqs,
});
const seconds = nullable({ type: 'integer', minimum: 0 });

const PROJECT: Record<string, SchemaObject> = {
  code: str,
  title: str,
  description: nullable(str),
  location: nullable(location),
  status: { type: 'string', enum: [...PROJECT_STATUSES] },
  startDate: nullable({ type: 'string', format: 'date' }),
  endDate: nullable({ type: 'string', format: 'date' }),
  contractAmount: nullable(money),
  agency: str,
  recordCount: { type: 'integer', minimum: 0 },
};

const publicFile = object({
  sha256: hex64,
  name: str,
  contentType: str,
  size: { type: 'integer', minimum: 0 },
});

const actor = object({
  organization: str,
  organizationKind: { type: 'string', enum: [...ORGANIZATION_KINDS] },
  role: { type: 'string', enum: [...PROJECT_ROLES] },
  name: nullable(str),
});

export const PUBLIC_SCHEMAS: Record<string, SchemaObject> = {
  Money: money,
  PublicFile: publicFile,
  DisclosureRecord: {
    description:
      'A record of the public log: a finished step of a report (no `type`), a public project document (`type: document`), a project sheet, citizen feedback, or the log announcing its next signing key (`type: key_rotation`).',
    oneOf: [
      ref('StepRecord'),
      ref('DocumentRecord'),
      ref('ProjectRecord'),
      ref('FeedbackRecord'),
      ref('KeyRotationRecord'),
    ],
  },
  KeyRotationRecord: object({
    type: { type: 'string', enum: ['key_rotation'] },
    seq: { type: 'integer', minimum: 0 },
    id: str,
    publishedAt: dateTime,
    rotation: object({
      previousKey: object({ keyId: hex64, publicKey: str }),
      nextKey: object({ keyId: hex64, publicKey: str }),
      fromTreeSize: { type: 'integer', minimum: 1, description: 'Always `seq` + 1.' },
      signature: {
        type: 'string',
        description:
          'Ed25519 signature (base64) by the previous key over the RFC 8785 JSON of {fromTreeSize, keyId, previousKeyId, publicKey, purpose: "openccs-log-key-rotation-v1"}, with the next key’s id and PEM.',
      },
    }),
  }),
  LogKey: object({
    keyId: hex64,
    publicKey: { type: 'string', description: 'Ed25519 public key, SPKI PEM.' },
    fromTreeSize: { type: 'integer', minimum: 0, description: 'The first tree size whose head it signs.' },
    toTreeSize: nullable({
      type: 'integer',
      minimum: 1,
      description: 'The first tree size it no longer signs; null for the key in force.',
    }),
    announcedAt: nullable({
      type: 'integer',
      minimum: 0,
      description: 'Position of the key rotation record announcing it; null for the first key.',
    }),
  }),
  LogKeys: object({
    items: { type: 'array', items: ref('LogKey'), minItems: 1 },
    howToVerify: str,
  }),
  FeedbackRecord: object({
    type: { type: 'string', enum: ['feedback'] },
    seq: { type: 'integer', minimum: 0 },
    id: str,
    publishedAt: dateTime,
    project: object({ code: str, title: str }),
    feedback: object({
      id: { type: 'string', format: 'uuid' },
      round: { type: 'integer', minimum: 1 },
      event: { type: 'string', enum: ['answered', 'overdue', 'withheld'] },
      category: { type: 'string', enum: [...FEEDBACK_CATEGORIES] },
      question: nullable(str),
      followUp: nullable(str),
      answer: nullable(str),
      answeredBy: nullable(
        object({
          organization: str,
          role: { type: 'string', enum: [...PROJECT_ROLES] },
          name: nullable(str),
        }),
      ),
      receivedAt: dateTime,
      openedAt: dateTime,
      dueAt: dateTime,
      answeredAt: nullable(dateTime),
      onTime: { type: 'boolean' },
      takenSeconds: nullable({ type: 'integer', minimum: 0 }),
    }),
  }),
  ProjectRecord: object({
    type: { type: 'string', enum: ['project'] },
    seq: { type: 'integer', minimum: 0 },
    id: str,
    publishedAt: dateTime,
    project: object({ code: str, title: str }),
    version: { type: 'integer', minimum: 1 },
    sheet: object({
      agency: object({ id: { type: 'string', format: 'uuid' }, name: str }),
      description: nullable(str),
      location: nullable(location),
      contractValue: nullable(money),
      startDate: nullable({ type: 'string', format: 'date' }),
      endDate: nullable({ type: 'string', format: 'date' }),
      status: { type: 'string', enum: [...PROJECT_STATUSES] },
      parties: {
        type: 'array',
        items: object({
          id: { type: 'string', format: 'uuid' },
          name: str,
          kind: { type: 'string', enum: [...ORGANIZATION_KINDS] },
          role: { type: 'string', enum: [...PROJECT_ROLES] },
        }),
      },
    }),
  }),
  DocumentRecord: object({
    type: { type: 'string', enum: ['document'] },
    seq: { type: 'integer', minimum: 0 },
    id: str,
    publishedAt: dateTime,
    project: object({ code: str, title: str }),
    document: object({
      id: { type: 'string', format: 'uuid' },
      title: str,
      category: { type: 'string', enum: [...DOCUMENT_CATEGORIES] },
      version: { type: 'integer', minimum: 1 },
      file: ref('PublicFile'),
    }),
    actor,
  }),
  StepRecord: object({
    seq: { type: 'integer', minimum: 0 },
    id: str,
    publishedAt: dateTime,
    project: object({ code: str, title: str }),
    report: withOptional(
      object({
        id: { type: 'string', format: 'uuid' },
        kind: { type: 'string', description: 'The report kind’s key in the deployment profile.' },
        title: str,
        publicSummary: nullable(str),
        revision: { type: 'integer', minimum: 1 },
        status: { type: 'string', enum: ['in_review', 'returned', 'approved', 'rejected', 'withdrawn'] },
        amount: nullable(money),
        body: { type: 'object', description: 'Only the fields the kind’s disclosure policy whitelists.' },
      }),
      {
        attachments: {
          type: 'array',
          items: ref('PublicFile'),
          description: 'The public files of this revision (a photo as its copy without metadata).',
        },
        meaning: object({
          amount: { type: 'string', enum: [...AMOUNT_MEANINGS] },
          progress: nullable(
            object({ physical: nullable({ type: 'number' }), financial: nullable({ type: 'number' }) }),
          ),
          completion: { type: 'boolean' },
        }),
      },
    ),
    step: object({
      key: str,
      name: str,
      outcome: { type: 'string', enum: ['approved', 'rejected', 'returned'] },
      openedAt: dateTime,
      decidedAt: dateTime,
      dueAt: dateTime,
      slaSeconds: { type: 'integer' },
      takenSeconds: { type: 'integer' },
      onTime: { type: 'boolean' },
    }),
    actor,
    onBehalf: nullable(object({ justification: str })),
    escalations: {
      type: 'array',
      items: withOptional(
        object({
          level: { type: 'integer' },
          toRole: { type: 'string', enum: [...PROJECT_ROLES] },
          openedAt: dateTime,
          resolution: nullable(object({ action: str, justification: nullable(str), at: dateTime })),
        }),
        {
          reason: {
            type: 'string',
            enum: ['unassigned'],
            description: 'Set when the step escalated because nobody was left to decide it.',
          },
        },
      ),
    },
  }),
  DisclosureRecordsPage: page('DisclosureRecord'),
  SignedTreeHead: object({
    treeSize: { type: 'integer', minimum: 0 },
    rootHash: hex64,
    timestamp: dateTime,
    keyId: hex64,
    signature: { type: 'string', description: 'Ed25519 signature, base64.' },
  }),
  EmptyTreeHead: object({ treeSize: { type: 'integer', enum: [0] }, rootHash: hex64 }),
  LogHead: object({
    treeHead: ref('LatestTreeHead'),
    publicKey: {
      type: 'string',
      description: 'The Ed25519 public key (PEM) of the latest head; earlier keys: /public/v1/log/keys.',
    },
    howToVerify: str,
    export: str,
  }),
  LatestTreeHead: {
    description: 'The latest signed tree head; before the first record, the empty tree’s size and root only.',
    oneOf: [ref('SignedTreeHead'), ref('EmptyTreeHead')],
  },
  InclusionProof: object({
    seq: { type: 'integer', minimum: 0 },
    treeSize: { type: 'integer', minimum: 1 },
    leafHash: hex64,
    path: { type: 'array', items: hex64 },
    treeHead: ref('SignedTreeHead'),
  }),
  ConsistencyProof: object({
    from: { type: 'integer', minimum: 1 },
    to: { type: 'integer', minimum: 1 },
    proof: { type: 'array', items: hex64 },
    fromHead: ref('SignedTreeHead'),
    toHead: ref('SignedTreeHead'),
  }),
  RecordsExport: object({
    publicKey: {
      type: 'string',
      description: 'The log’s FIRST Ed25519 public key (PEM): verification follows the rotations from it.',
    },
    keys: {
      type: 'array',
      items: ref('LogKey'),
      description: 'The key history, as GET /public/v1/log/keys.',
    },
    treeHead: ref('LatestTreeHead'),
    entries: {
      type: 'array',
      items: object({ record: ref('DisclosureRecord'), treeHead: ref('SignedTreeHead') }),
    },
  }),
  PublicProfile: object({
    name: str,
    title: names,
    languages: { type: 'array', items: str },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    officialsNamed: { type: 'boolean' },
    calendar: object({
      names,
      utcOffsetMinutes: { type: 'integer' },
      workingDays: { type: 'array', items: { type: 'integer', minimum: 0, maximum: 6 } },
      workingHours: object({ start: str, end: str }),
      covers: object({ from: nullable(str), until: nullable(str) }),
      holidays: {
        type: 'array',
        items: object({
          date: { type: 'string', format: 'date' },
          names,
          status: { type: 'string', enum: ['official', 'computed', 'estimated'] },
        }),
      },
    }),
    kinds: {
      type: 'array',
      items: object({
        key: str,
        names,
        amount: { type: 'string', enum: [...AMOUNT_MEANINGS] },
        progress: { type: 'boolean' },
        completion: { type: 'boolean' },
        bodySchema: { type: 'object', description: 'JSON Schema (2020-12) of the body.' },
        schemaVersion: str,
        publicFields: { type: 'array', items: str },
        attachmentsPublic: { type: 'boolean' },
      }),
    },
    integrity: { type: 'object', description: 'Red-flag thresholds, each with its source.' },
    feedback: object({
      answerWithinSeconds: { type: 'integer', minimum: 1 },
      routes: {
        type: 'object',
        description: 'Project roles whose holders answer each category.',
        additionalProperties: { type: 'array', items: { type: 'string', enum: [...PROJECT_ROLES] } },
      },
      escalation: {
        type: 'array',
        items: object({
          afterSeconds: { type: 'integer', minimum: 0 },
          toRole: { type: 'string', enum: [...PROJECT_ROLES] },
        }),
      },
      contactRetentionSeconds: { type: 'integer', minimum: 1 },
      source: str,
    }),
  }),
  PublicProject: object(PROJECT),
  PublicProjectsPage: page('PublicProject'),
  PublicProjectOverview: object({
    ...PROJECT,
    parties: {
      type: 'array',
      items: object({
        id: { type: 'string', format: 'uuid' },
        organization: str,
        kind: { type: 'string', enum: [...ORGANIZATION_KINDS] },
        role: { type: 'string', enum: [...PROJECT_ROLES] },
      }),
    },
    approvedPayments: object({ count: { type: 'integer' }, totals: { type: 'array', items: ref('Money') } }),
    designChanges: {
      type: 'array',
      items: object({
        reportId: { type: 'string', format: 'uuid' },
        title: str,
        amount: nullable(money),
        approvedAt: dateTime,
      }),
    },
    latestProgress: nullable(object({ percent: { type: 'number' }, reportedAt: dateTime })),
    onTimeRate: nullable({ type: 'number', minimum: 0, maximum: 1 }),
    contract: object({
      originalValue: nullable(money),
      currentValue: nullable(money),
      paid: nullable(money),
    }),
    modifications: {
      type: 'array',
      description: 'Approved contract changes with the contract value before and after.',
      items: object({
        seq: { type: 'integer', minimum: 0 },
        reportId: { type: 'string', format: 'uuid' },
        title: str,
        rationale: nullable(str),
        date: dateTime,
        amount: nullable(money),
        oldValue: nullable(money),
        newValue: nullable(money),
        periodChangeDays: nullable({ type: 'integer' }),
        oldEndDate: nullable({ type: 'string', format: 'date' }),
        newEndDate: nullable({ type: 'string', format: 'date' }),
      }),
    },
    payments: {
      type: 'array',
      items: object({
        seq: { type: 'integer', minimum: 0 },
        reportId: { type: 'string', format: 'uuid' },
        title: str,
        date: dateTime,
        amount: money,
      }),
    },
    progress: {
      type: 'array',
      items: object({
        seq: { type: 'integer', minimum: 0 },
        date: dateTime,
        physical: nullable({ type: 'number' }),
        financial: nullable({ type: 'number' }),
      }),
    },
    completion: nullable(object({ seq: { type: 'integer', minimum: 0 }, date: dateTime })),
    flags: object({ raised: { type: 'integer', minimum: 0 }, outweighed: { type: 'integer', minimum: 0 } }),
    asOf,
  }),
  RedFlag: object({
    id: str,
    code: { type: 'string', enum: [...FLAG_CODES] },
    ocp: {
      type: 'array',
      items: str,
      description: 'Open Contracting Partnership red-flag codes it matches.',
    },
    title: str,
    subject: {
      type: 'object',
      additionalProperties: false,
      properties: {
        project: str,
        agency: object({ id: str, name: str }),
        contractor: object({ id: str, name: str }),
        official: str,
        reportKind: str,
        stepKey: str,
      },
    },
    status: { type: 'string', enum: ['raised', 'outweighed'] },
    raised: object({ seq: { type: 'integer', minimum: 0 }, at: dateTime }),
    outweighed: nullable(object({ seq: { type: 'integer', minimum: 0 }, at: dateTime })),
    facts: { type: 'object', additionalProperties: { nullable: true, oneOf: [{ type: 'number' }, str] } },
    formula: str,
    threshold: {
      type: 'object',
      additionalProperties: false,
      required: ['value', 'source'],
      properties: { value: { type: 'number' }, minimum: { type: 'integer' }, source: str },
    },
    records: seqs,
  }),
  FlagsPage: object({
    items: { type: 'array', items: ref('RedFlag') },
    nextCursor: nullable(str),
    asOf,
  }),
  ProjectFlags: object({
    items: { type: 'array', items: ref('RedFlag') },
    nextCursor: nullable(str),
    asOf,
  }),
  AgencyFigures: withOptional(
    object({
      id: { type: 'string', format: 'uuid' },
      name: str,
      projects: { type: 'array', items: str },
      steps: share,
      onTime: share,
      late: share,
      onBehalf: share,
      escalated: share,
      medianSeconds: seconds,
      p90Seconds: seconds,
      feedback: object({
        rounds: { type: 'integer', minimum: 0 },
        answered: share,
        answeredOnTime: share,
        overdue: share,
        withheld: share,
        medianAnswerSeconds: seconds,
      }),
      byStep: {
        type: 'array',
        items: object({
          reportKind: str,
          stepKey: str,
          stepName: str,
          count: { type: 'integer', minimum: 0 },
          onTime: share,
          medianSeconds: seconds,
          p90Seconds: seconds,
          records: seqs,
        }),
      },
    }),
    { asOf },
  ),
  AgenciesPage: object({
    items: { type: 'array', items: ref('AgencyFigures') },
    nextCursor: nullable(str),
    asOf,
  }),
  Oc4idsPackage: {
    type: 'object',
    description: 'An OC4IDS 0.9 project package; the tests validate it against the OC4IDS schema itself.',
    required: ['uri', 'publishedDate', 'version', 'publisher', 'license', 'projects'],
    properties: {
      uri: str,
      publishedDate: dateTime,
      version: str,
      publisher: object({ name: str }),
      license: str,
      projects: { type: 'array', items: { type: 'object' } },
    },
  },
};

/** `@ApiOkResponse({ schema: publicSchema('X') })` */
export const publicSchema = (name: keyof typeof PUBLIC_SCHEMAS & string): SchemaObject => ref(name);
