/**
 * Projects as OC4IDS 0.9.4 (Open Contracting for Infrastructure Data Standard) project data:
 * the project sheet, its public authority and parties (organizations), and, from the disclosure
 * log, approved payments as transactions. Only disclosed data goes in.
 */
import { meaningOf } from './meaning';
import { isDocumentRecord, isStepRecord, type DisclosureRecord, type DocumentCategory } from './record';

export const OC4IDS_VERSION = '0.9';

export interface Oc4idsInput {
  readonly idPrefix: string;
  readonly project: {
    readonly code: string;
    readonly title: string;
    readonly description: string | null;
    readonly location: string | null;
    readonly status: string;
    readonly startDate: string | null;
    readonly endDate: string | null;
    readonly contractAmount: { readonly value: number; readonly currency: string } | null;
  };
  readonly agency: { readonly id: string; readonly name: string };
  readonly parties: readonly { readonly id: string; readonly organization: string; readonly kind: string }[];
  readonly records: readonly DisclosureRecord[];
  /** Where public files are served: `${filesBase}/<sha256>`. */
  readonly filesBase: string;
}

/**
 * Document categories on the OC4IDS documentType codelist (an open codelist: a permit has no code
 * of its own and keeps ours).
 */
const DOCUMENT_TYPE: Record<DocumentCategory, string | undefined> = {
  contract: 'contractSigned',
  drawing: 'technicalSpecifications',
  as_built: 'technicalSpecifications',
  permit: 'permit',
  site_photo: 'illustration',
  other: undefined,
};

/** OpenCCS project statuses on the OC4IDS projectStatus codelist. */
const STATUS: Record<string, string> = {
  planned: 'preparation',
  in_progress: 'implementation',
  suspended: 'implementation',
  completed: 'completion',
  cancelled: 'cancelled',
};

const dateTime = (date: string) => `${date}T00:00:00Z`;

export function toOc4idsProject(input: Oc4idsInput): Record<string, unknown> {
  const { project, agency, records } = input;
  const steps = records.filter(isStepRecord);
  const payments = steps.filter((r) => meaningOf(r).amount === 'payment' && r.report.status === 'approved');
  const documents = records.filter(isDocumentRecord);
  const parties = new Map<string, { id: string; name: string; roles: string[] }>();
  parties.set(agency.id, { id: agency.id, name: agency.name, roles: ['publicAuthority'] });
  for (const p of input.parties) {
    const role = p.kind === 'agency' ? 'publicAuthority' : 'supplier';
    const party = parties.get(p.id) ?? { id: p.id, name: p.organization, roles: [] };
    if (!party.roles.includes(role)) party.roles.push(role);
    parties.set(p.id, party);
  }
  const updated = records.length > 0 ? records[records.length - 1]?.publishedAt : undefined;
  return {
    id: `${input.idPrefix}-${project.code}`,
    ...(updated ? { updated } : {}),
    title: project.title,
    ...(project.description ? { description: project.description } : {}),
    status: STATUS[project.status] ?? 'implementation',
    ...(project.startDate || project.endDate
      ? {
          period: {
            ...(project.startDate ? { startDate: dateTime(project.startDate) } : {}),
            ...(project.endDate ? { endDate: dateTime(project.endDate) } : {}),
          },
        }
      : {}),
    ...(project.contractAmount
      ? {
          budget: {
            amount: { amount: project.contractAmount.value, currency: project.contractAmount.currency },
          },
        }
      : {}),
    publicAuthority: { id: agency.id, name: agency.name },
    parties: [...parties.values()],
    ...(project.location ? { locations: [{ id: '1', description: project.location }] } : {}),
    ...(documents.length > 0
      ? {
          documents: documents.map((r) => {
            const type = DOCUMENT_TYPE[r.document.category];
            return {
              id: `${r.document.id}`,
              ...(type ? { documentType: type } : {}),
              title: `${r.document.title} (${r.document.version})`,
              url: `${input.filesBase}/${r.document.file.sha256}`,
              format: r.document.file.contentType,
              datePublished: r.publishedAt,
            };
          }),
        }
      : {}),
    ...(payments.length > 0
      ? {
          transactions: payments.map((r) => ({
            id: r.report.id,
            date: r.step.decidedAt,
            ...(r.report.amount
              ? { value: { amount: r.report.amount.value, currency: r.report.amount.currency } }
              : {}),
            payer: { id: agency.id, name: agency.name },
          })),
        }
      : {}),
  };
}

export function oc4idsPackage(
  projects: readonly Record<string, unknown>[],
  meta: { uri: string; publisher: string; publishedDate: string },
): Record<string, unknown> {
  return {
    uri: meta.uri,
    publishedDate: meta.publishedDate,
    version: OC4IDS_VERSION,
    publisher: { name: meta.publisher },
    license: 'http://opendefinition.org/licenses/cc-by/',
    projects,
  };
}
