// The staff console's budgets, each against a baseline measured in the same run:
// - rendering the inbox with 500 open steps (p50), against the JSON API listing the same steps;
// - the weight of each page (HTML + CSS + script), against a budget of 100 kB;
// - "Approve" to the next page (the form's POST, its 303, the report page) under load, against
//   the JSON API's decision under the same load.
//   npm run bench:console   (BENCH_ITEMS, default 500; BENCH_CONNECTIONS of background load, default 8)
import { createRequire } from 'node:module';
import { castProject, fmt, PASSWORD, pct, startSystem, verdict, writeResult } from './lib.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const ITEMS = Number(process.env.BENCH_ITEMS ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SAMPLES = 30;
const DECISIONS = 20;
// A page of fixed content weighs at most 100 kB; the inbox grows with what is in it, at most
// 20 kB and 0.4 kB an open step (a row names the report, project, kind, step and deadline).
const BUDGET = { inboxP50Ms: 500, pageKb: 100, inboxKb: { base: 20, perItem: 0.4 }, approveP50Ms: 1500 };

/** Signs in to the console as a browser would; returns a fetch that carries the session. */
async function consoleSession(base, username) {
  const form = await fetch(`${base}/console/login`);
  const loginCookie = /openccs_login=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  const res = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `openccs_login=${loginCookie}` },
    body: new URLSearchParams({ _csrf: csrf, next: '/console', username, password: PASSWORD }),
  });
  const session = /openccs_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!session) throw new Error(`console sign-in of ${username} failed: ${res.status}`);
  const cookie = `openccs_session=${session}`;
  return (path, init = {}) =>
    fetch(`${base}${path}`, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers ?? {}) } });
}

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function main() {
  const system = await startSystem();
  let background;
  try {
    const cast = await castProject(system);
    const submit = (title) =>
      system.call('POST', `/api/v1/projects/${cast.project.id}/reports`, cast.contractor.token, {
        kind: 'material_approval',
        title,
      });
    const reports = [];
    for (let i = 0; i < ITEMS; i += 10)
      reports.push(
        ...(await Promise.all(Array.from({ length: 10 }, (_, j) => submit(`Console bench ${i + j}`)))),
      );

    const supervisor = await consoleSession(system.base, 'bench-1.supervisor');
    // Inbox render: the whole page, against the JSON API listing the same open steps.
    const page = [];
    const json = [];
    for (let i = 0; i < SAMPLES; i++) {
      page.push(await timed(async () => (await supervisor('/console')).text()));
      json.push(
        await timed(async () => {
          let cursor = '';
          do {
            const res = await fetch(
              `${system.base}/api/v1/inbox?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
              {
                headers: { authorization: `Bearer ${cast.supervisor.token}` },
              },
            );
            cursor = (await res.json()).nextCursor ?? '';
          } while (cursor);
        }),
      );
    }
    const inbox = { pageP50Ms: pct(page, 50), jsonP50Ms: pct(json, 50) };

    // Page weight: each page's HTML with the stylesheets and the script it loads.
    const assets = {};
    for (const name of ['portal.css', 'console.css', 'console.js'])
      assets[name] = (await (await fetch(`${system.base}/portal/assets/${name}`)).arrayBuffer()).byteLength;
    const assetBytes = Object.values(assets).reduce((a, b) => a + b, 0);
    const contractor = await consoleSession(system.base, 'bench-1.contractor');
    const pages = {
      login: () => fetch(`${system.base}/console/login`),
      inbox: () => supervisor('/console'),
      report: () => supervisor(`/console/reports/${reports[0].id}`),
      project: () => supervisor(`/console/projects/${cast.project.id}`),
      newReport: () => contractor(`/console/projects/${cast.project.id}/reports/new?kind=design_change`),
      escalations: () => supervisor('/console/escalations'),
      notifications: () => supervisor('/console/notifications'),
    };
    const weights = {};
    for (const [name, get] of Object.entries(pages)) {
      const html = (await (await get()).arrayBuffer()).byteLength;
      weights[name] = { htmlKb: html / 1024, totalKb: (html + assetBytes) / 1024 };
    }

    // Approve → next page, under a background load: the officer's inbox, read again and again.
    background = autocannon({
      url: `${system.base}/api/v1/inbox?limit=50`,
      connections: CONNECTIONS,
      duration: 600,
      headers: { authorization: `Bearer ${cast.officer.token}` },
    });
    const viaConsole = [];
    const viaApi = [];
    for (let i = 0; i < DECISIONS; i++) {
      const byForm = reports[1 + 2 * i];
      const html = await (await supervisor(`/console/reports/${byForm.id}`)).text();
      const form =
        /action="\/console\/reports\/[^"]+\/decisions"[\s\S]*?name="_csrf" value="([^"]+)"[\s\S]*?name="_key" value="([^"]+)"/.exec(
          html,
        );
      viaConsole.push(
        await timed(async () => {
          const res = await supervisor(`/console/reports/${byForm.id}/decisions`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ _csrf: form[1], _key: form[2], action: 'approve', comment: '' }),
          });
          if (res.status !== 303) throw new Error(`the console's decision answered ${res.status}`);
          await (await supervisor(res.headers.get('location'))).text();
        }),
      );
      const byApi = reports[2 + 2 * i];
      viaApi.push(
        await timed(() =>
          system.call('POST', `/api/v1/reports/${byApi.id}/decisions`, cast.supervisor.token, {
            action: 'approve',
          }),
        ),
      );
    }
    background.stop();
    const approve = { consoleP50Ms: pct(viaConsole, 50), apiP50Ms: pct(viaApi, 50) };

    const inboxBudgetKb = BUDGET.inboxKb.base + BUDGET.inboxKb.perItem * ITEMS;
    const heaviest = Math.max(
      ...Object.entries(weights)
        .filter(([name]) => name !== 'inbox')
        .map(([, w]) => w.totalKb),
    );
    const met = {
      inbox: inbox.pageP50Ms <= BUDGET.inboxP50Ms,
      weight: heaviest <= BUDGET.pageKb && weights.inbox.totalKb <= inboxBudgetKb,
      approve: approve.consoleP50Ms <= BUDGET.approveP50Ms,
    };
    writeResult('console', {
      inboxItems: ITEMS,
      inbox: { ...inbox, ratio: inbox.pageP50Ms / inbox.jsonP50Ms },
      assetsBytes: assets,
      pages: weights,
      approveUnderLoad: {
        ...approve,
        ratio: approve.consoleP50Ms / approve.apiP50Ms,
        backgroundConnections: CONNECTIONS,
      },
      budget: BUDGET,
      met,
    });
    console.log(
      `console: inbox of ${ITEMS} open steps, ${SAMPLES} samples; ${DECISIONS} decisions under load`,
    );
    console.log(
      `  inbox page p50 ${fmt(inbox.pageP50Ms)} ms   JSON API p50 ${fmt(inbox.jsonP50Ms)} ms   ratio ${(inbox.pageP50Ms / inbox.jsonP50Ms).toFixed(2)}   (budget ≤ ${BUDGET.inboxP50Ms} ms: ${verdict(met.inbox)})`,
    );
    for (const [name, w] of Object.entries(weights))
      console.log(`  ${name.padEnd(14)} HTML ${fmt(w.htmlKb)} kB   with CSS and script ${fmt(w.totalKb)} kB`);
    console.log(
      `  heaviest other page ${fmt(heaviest)} kB (budget ≤ ${BUDGET.pageKb} kB); inbox ${fmt(weights.inbox.totalKb)} kB (budget ≤ ${inboxBudgetKb} kB): ${verdict(met.weight)}`,
    );
    console.log(
      `  Approve → next page p50 ${fmt(approve.consoleP50Ms)} ms   JSON decision p50 ${fmt(approve.apiP50Ms)} ms   ratio ${(approve.consoleP50Ms / approve.apiP50Ms).toFixed(2)}   (budget ≤ ${BUDGET.approveP50Ms} ms: ${verdict(met.approve)})`,
    );
  } finally {
    background?.stop();
    await system.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
