/** Approval-line templates: validation, versions, and the snapshot a report takes when submitted. */
import { asAdmin } from '../support/factories';
import { http } from '../support/http';
import { closeDb, count } from '../support/db';
import { castProject, type Cast } from '../support/scenario';

let cast: Cast;
beforeAll(async () => {
  cast = await castProject();
});
afterAll(closeDb);

const put = async (kind: string, steps: unknown, token?: string) =>
  http<{ version: number; steps: unknown[] }>(
    'PUT',
    `/api/v1/projects/${cast.project.id}/approval-lines/${kind}`,
    {
      token: token ?? (await asAdmin()),
      body: { steps },
    },
  );

const quorumLine = [
  {
    key: 'joint_inspection',
    name: 'Joint inspection',
    assigneeRole: 'supervisor',
    mode: 'quorum',
    quorum: 2,
    sla: 'PT48H',
    escalation: [{ after: 'PT0S', toRole: 'agency_head' }],
  },
];

describe('PUT /api/v1/projects/{projectId}/approval-lines/{reportKind}', () => {
  it('puts a new version in force; the same line again changes nothing', async () => {
    const first = await put('inspection_request', quorumLine);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ reportKind: 'inspection_request', version: 2 });
    expect(first.body.steps).toEqual([{ ...quorumLine[0], public: true }]);
    const again = await put('inspection_request', quorumLine);
    expect(again.body.version).toBe(2);
    const list = await http<{ items: Array<{ reportKind: string; version: number }> }>(
      'GET',
      `/api/v1/projects/${cast.project.id}/approval-lines`,
      { token: cast.supervisor.token },
    );
    expect(list.body.items.find((l) => l.reportKind === 'inspection_request')?.version).toBe(2);
  });

  it('refuses every rule broken at once, naming each field, and keeps the version in force', async () => {
    const before = await count('SELECT 1 FROM approval_lines WHERE project_id = $1', [cast.project.id]);
    const res = await put('material_approval', [
      { key: 'a', name: 'A', assigneeRole: 'observer', mode: 'quorum', sla: 'PT0S' },
      {
        key: 'a',
        name: 'B',
        assigneeRole: 'supervisor',
        mode: 'any',
        quorum: 2,
        sla: 'P1M',
        escalation: [{ after: 'soon', toRole: 'contractor' }],
      },
    ]);
    expect(res.status).toBe(400);
    const fields = (res.body as unknown as { errors: Array<{ field: string }> }).errors
      .map((e) => e.field)
      .sort();
    expect(fields).toEqual(
      [
        'steps[0].assigneeRole',
        'steps[0].quorum',
        'steps[0].sla',
        'steps[1].escalation[0].after',
        'steps[1].escalation[0].toRole',
        'steps[1].key',
        'steps[1].quorum',
        'steps[1].sla',
      ].sort(),
    );
    const shape = await put('material_approval', [{ key: 'Bad Key', mode: 'some' }]);
    expect(shape.status).toBe(400);
    expect((await put('material_approval', [])).status).toBe(400);
    expect((await put('not_a_kind', quorumLine)).status).toBe(400);
    expect(await count('SELECT 1 FROM approval_lines WHERE project_id = $1', [cast.project.id])).toBe(before);
  });

  it('is for admins only', async () => {
    expect((await put('progress_report', quorumLine, cast.officer.token)).status).toBe(403);
  });

  it('never changes a report in flight: it keeps the version it snapshotted', async () => {
    const oneStep = [
      {
        key: 'supervisor_only',
        name: 'Supervisor only',
        assigneeRole: 'supervisor',
        mode: 'any',
        sla: 'PT24H',
      },
    ];
    await put('construction_plan', oneStep);
    const report = await http<{ id: string; lineVersion: number; steps: Array<{ key: string }> }>(
      'POST',
      `/api/v1/projects/${cast.project.id}/reports`,
      { token: cast.contractor.token, body: { kind: 'construction_plan', title: 'Traffic management plan' } },
    );
    const twoSteps = [
      ...oneStep,
      { key: 'officer', name: 'Officer', assigneeRole: 'agency_officer', mode: 'any', sla: 'PT24H' },
    ];
    const v = await put('construction_plan', twoSteps);
    expect(v.body.version).toBe(report.body.lineVersion + 1);
    const approved = await http<{ status: string; steps: unknown[] }>(
      'POST',
      `/api/v1/reports/${report.body.id}/decisions`,
      {
        token: cast.supervisor.token,
        body: { action: 'approve' },
      },
    );
    expect(approved.body.status).toBe('approved');
    expect(approved.body.steps).toHaveLength(1);
  });
});

describe('modes through the API', () => {
  it('quorum 2 needs two distinct supervisors', async () => {
    await put('inspection_request', quorumLine);
    const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      token: cast.contractor.token,
      body: { kind: 'inspection_request', title: 'Joint inspection, deck pour' },
    });
    const first = await http<{ status: string }>('POST', `/api/v1/reports/${report.body.id}/decisions`, {
      token: cast.supervisor.token,
      body: { action: 'approve' },
    });
    expect(first.body.status).toBe('in_review');
    const twice = await http('POST', `/api/v1/reports/${report.body.id}/decisions`, {
      token: cast.supervisor.token,
      body: { action: 'approve' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'decision.already_approved' });
    const second = await http<{ status: string }>('POST', `/api/v1/reports/${report.body.id}/decisions`, {
      token: cast.supervisor2.token,
      body: { action: 'approve' },
    });
    expect(second.body.status).toBe('approved');
  });

  it('all: concurrent approvals of every assignee are each applied once, and only then the step closes', async () => {
    await put('progress_report', [
      {
        key: 'all_supervisors',
        name: 'All supervisors',
        assigneeRole: 'supervisor',
        mode: 'all',
        sla: 'PT24H',
      },
      { key: 'officer', name: 'Officer', assigneeRole: 'agency_officer', mode: 'any', sla: 'PT24H' },
    ]);
    const report = await http<{ id: string }>('POST', `/api/v1/projects/${cast.project.id}/reports`, {
      token: cast.contractor.token,
      body: { kind: 'progress_report', title: 'Progress, week 47' },
    });
    const results = await Promise.all(
      [cast.supervisor, cast.supervisor2, cast.supervisor, cast.supervisor2].map((u) =>
        http<{ status: string }>('POST', `/api/v1/reports/${report.body.id}/decisions`, {
          token: u.token,
          body: { action: 'approve' },
        }),
      ),
    );
    // Each person's approval applies once. A duplicate is refused as "already approved" (409) while
    // the step is open, or "not an assignee" (403) once the step has closed: timing decides which.
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(2);
    expect(statuses.filter((st) => st !== 200).every((st) => st === 409 || st === 403)).toBe(true);
    const read = await http<{
      currentStep: string;
      steps: Array<{ approvals: string[]; status: string }>;
      decisions: unknown[];
    }>('GET', `/api/v1/reports/${report.body.id}`, { token: cast.officer.token });
    expect(read.body.currentStep).toBe('officer');
    expect(read.body.steps[0]).toMatchObject({ status: 'approved' });
    expect(read.body.steps[0]?.approvals.sort()).toEqual([cast.supervisor.id, cast.supervisor2.id].sort());
    expect(read.body.decisions).toHaveLength(2);
  });
});
