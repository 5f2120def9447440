/**
 * Projects as OC4IDS 0.9.4 (Open Contracting for Infrastructure Data Standard) project data, mapped
 * as the CoST IDS mapping says (docs/open-data.md cites its rows): the project sheet, its parties
 * with codelist roles, one contracting process for the works contract with its value, every
 * approved change as a modification, approved payments as transactions, the approval steps as
 * milestones; progress as metrics; completion; the public files as documents. Only disclosed data
 * goes in, and every figure comes from the log (figures.ts).
 */
import type { ProjectFacts } from './figures';
import { isStepRecord, type DocumentCategory } from './record';

export const OC4IDS_VERSION = '0.9';

export interface Oc4idsInput {
  readonly idPrefix: string;
  readonly project: {
    readonly code: string;
    readonly title: string;
    readonly description: string | null;
    readonly location: {
      readonly address: string | null;
      readonly lat: number | null;
      readonly lon: number | null;
    } | null;
    readonly status: string;
    readonly startDate: string | null;
    readonly endDate: string | null;
    readonly contractAmount: { readonly value: number; readonly currency: string } | null;
  };
  readonly agency: { readonly id: string; readonly name: string };
  readonly parties: readonly {
    readonly id: string;
    readonly organization: string;
    readonly kind: string;
    readonly role: string;
  }[];
  readonly facts: ProjectFacts;
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

/**
 * Project roles on the partyRole codelist: the agency is the public authority that also pays
 * (payer); the contractor the supplier and payee; the construction supervisor (감리, maître
 * d'œuvre) administers the contract for the agency (administrativeEntity); a subcontractor takes
 * part without a contract with the agency (interestedParty).
 */
const ROLES: Record<string, readonly string[]> = {
  agency_officer: ['publicAuthority', 'payer'],
  agency_head: ['publicAuthority', 'payer'],
  contractor: ['supplier', 'payee'],
  supervisor: ['administrativeEntity'],
};
const KIND_ROLES: Record<string, readonly string[]> = { subcontractor: ['interestedParty'] };

const dateTime = (date: string) => `${date}T00:00:00Z`;
const value = (m: { value: number; currency: string }) => ({ amount: m.value, currency: m.currency });

export function toOc4idsProject(input: Oc4idsInput): Record<string, unknown> {
  const { project, agency, facts } = input;
  const id = `${input.idPrefix}-${project.code}`;
  const parties = new Map<string, { id: string; name: string; roles: string[] }>();
  const addParty = (p: { id: string; name: string }, roles: readonly string[]) => {
    const party = parties.get(p.id) ?? { id: p.id, name: p.name, roles: [] };
    for (const role of roles) if (!party.roles.includes(role)) party.roles.push(role);
    parties.set(p.id, party);
  };
  addParty(agency, ['publicAuthority', 'payer']);
  for (const p of input.parties)
    addParty({ id: p.id, name: p.organization }, ROLES[p.role] ?? KIND_ROLES[p.kind] ?? ['interestedParty']);
  const suppliers = input.parties
    .filter((p) => p.role === 'contractor')
    .map((p) => ({ id: p.id, name: p.organization }))
    .filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
  const last = [...facts.steps, ...facts.documents, ...facts.sheets].sort((a, b) => b.seq - a.seq)[0];
  const contract = contractingProcess(id, input, suppliers);
  const metrics = progressMetrics(facts);
  const documents = publicDocuments(input);
  const location = project.location;
  return {
    id,
    ...(last ? { updated: last.publishedAt } : {}),
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
    ...(project.contractAmount ? { budget: { amount: value(project.contractAmount) } } : {}),
    publicAuthority: { id: agency.id, name: agency.name },
    parties: [...parties.values()],
    ...(location
      ? {
          locations: [
            {
              id: '1',
              ...(location.address ? { description: location.address } : {}),
              ...(location.lat !== null && location.lon !== null
                ? { geometry: { type: 'Point', coordinates: [location.lon, location.lat] } }
                : {}),
            },
          ],
        }
      : {}),
    ...(metrics.length > 0 ? { metrics } : {}),
    ...(facts.completion
      ? {
          completion: {
            endDate: facts.completion.date,
            ...(facts.currentValue ? { finalValue: value(facts.currentValue) } : {}),
          },
        }
      : {}),
    ...(documents.length > 0 ? { documents } : {}),
    ...(contract ? { contractingProcesses: [contract] } : {}),
  };
}

/** The works contract: its value, changes, payments and approval steps. */
function contractingProcess(
  projectId: string,
  input: Oc4idsInput,
  suppliers: readonly { id: string; name: string }[],
): Record<string, unknown> | null {
  const { facts, project, agency } = input;
  const original = facts.originalValue ?? project.contractAmount;
  if (!original && facts.steps.length === 0) return null;
  const modifications = facts.changes.flatMap((c) => {
    const common = {
      date: c.date,
      description: c.title,
      ...(c.rationale ? { rationale: c.rationale } : {}),
    };
    const out: Record<string, unknown>[] = [];
    if (c.amount && c.amount.value !== 0)
      out.push({
        id: `${c.reportId}-value`,
        ...common,
        type: 'value',
        ...(c.oldValue ? { oldContractValue: value(c.oldValue) } : {}),
        ...(c.newValue ? { newContractValue: value(c.newValue) } : {}),
      });
    if (c.periodChangeDays !== null)
      out.push({
        id: `${c.reportId}-duration`,
        ...common,
        type: 'duration',
        ...(c.oldEndDate && c.newEndDate
          ? {
              oldContractPeriod: { endDate: dateTime(c.oldEndDate) },
              newContractPeriod: { endDate: dateTime(c.newEndDate) },
            }
          : {}),
      });
    if (out.length === 0) out.push({ id: `${c.reportId}-scope`, ...common, type: 'scope' });
    return out;
  });
  const payee = suppliers[0];
  const transactions = facts.payments.map((p) => ({
    id: p.reportId,
    date: p.date,
    value: value(p.amount),
    payer: { id: agency.id, name: agency.name },
    ...(payee ? { payee } : {}),
  }));
  const milestones = facts.steps.map((r) => ({
    id: r.id,
    title: `${r.report.title} — ${r.step.name}`,
    type: 'approval',
    dueDate: r.step.dueAt,
    dateMet: r.step.decidedAt,
    status: r.step.outcome === 'approved' ? 'met' : 'notMet',
    ...(r.step.outcome !== 'approved' ? { description: `Outcome: ${r.step.outcome}` } : {}),
  }));
  return {
    id: `${projectId}-works`,
    summary: {
      title: project.title,
      nature: ['construction'],
      status: facts.completion || project.status === 'completed' ? 'closed' : 'active',
      ...(suppliers.length > 0 ? { suppliers } : {}),
      ...(original ? { contractValue: value(original) } : {}),
      ...(project.startDate || project.endDate
        ? {
            contractPeriod: {
              ...(project.startDate ? { startDate: dateTime(project.startDate) } : {}),
              ...(project.endDate ? { endDate: dateTime(project.endDate) } : {}),
            },
          }
        : {}),
      ...(facts.completion && facts.currentValue ? { finalValue: value(facts.currentValue) } : {}),
      ...(modifications.length > 0 ? { modifications } : {}),
      ...(transactions.length > 0 ? { transactions } : {}),
      ...(milestones.length > 0 ? { milestones } : {}),
    },
  };
}

/** Physical and financial progress, each report an observation (percent). */
function progressMetrics(facts: ProjectFacts): Record<string, unknown>[] {
  const metric = (
    idCode: 'physicalProgress' | 'financialProgress',
    title: string,
    pick: 'physical' | 'financial',
  ) => {
    const observations = facts.progress
      .filter((p) => p[pick] !== null)
      .map((p) => ({
        id: String(p.seq),
        period: { startDate: p.date, endDate: p.date },
        measure: p[pick] as number,
        unit: { name: 'percent' },
      }));
    return observations.length > 0 ? [{ id: idCode, title, observations }] : [];
  };
  return [
    ...metric('physicalProgress', 'Physical progress', 'physical'),
    ...metric('financialProgress', 'Financial progress', 'financial'),
  ];
}

/** Public documents, and the public attachments of approved steps (site photos and the like). */
function publicDocuments(input: Oc4idsInput): Record<string, unknown>[] {
  const { facts } = input;
  const documents: Record<string, unknown>[] = facts.documents.map((r) => {
    const type = DOCUMENT_TYPE[r.document.category];
    return {
      id: r.document.id,
      ...(type ? { documentType: type } : {}),
      title: `${r.document.title} (${r.document.version})`,
      url: `${input.filesBase}/${r.document.file.sha256}`,
      format: r.document.file.contentType,
      datePublished: r.publishedAt,
    };
  });
  const seen = new Set(facts.documents.map((r) => r.document.file.sha256));
  for (const r of facts.steps.filter(isStepRecord))
    for (const f of r.report.attachments ?? []) {
      if (seen.has(f.sha256)) continue;
      seen.add(f.sha256);
      documents.push({
        id: f.sha256,
        ...(/^image\//.test(f.contentType) ? { documentType: 'illustration' } : {}),
        title: f.name,
        description: r.report.title,
        url: `${input.filesBase}/${f.sha256}`,
        format: f.contentType,
        datePublished: r.publishedAt,
      });
    }
  return documents;
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
