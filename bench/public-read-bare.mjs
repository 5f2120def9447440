// The baseline of bench/public-read.mjs: a bare node:http server with a pg Pool answering the
// public read endpoints the benchmark measures with the SAME code as the API — the repositories'
// queries (DisclosureRepository, PublicProjectsRepository, built from dist on a pg Pool instead
// of TypeORM), the same page shaping (recordsPage, paginate, toProjectView), JSON.stringify, the
// same strong ETag (the `etag` package Express uses) and the same response headers (the constant
// ones copied from the API's own response) — and nothing else: no routing table, middleware,
// validation, logging or rate limit.
//   node bench/public-read-bare.mjs <port> <databaseUrl> <headers.json>
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dist = new URL('../dist/', import.meta.url).pathname;
const { Pool } = require('pg');
const etag = require('etag');
const { DisclosureRepository } = require(`${dist}libs/persistence/src/repositories/disclosure.repository.js`);
const { PublicProjectsRepository } = require(
  `${dist}libs/persistence/src/repositories/public-projects.repository.js`,
);
const { recordsPage, toProjectView } = require(`${dist}apps/api/src/public/public.service.js`);
const { paginate, byText } = require(`${dist}apps/api/src/common/pagination.js`);

const [port, databaseUrl, headersFile] = process.argv.slice(2);
// The API's pool size (libs/persistence/src/data-source.ts).
const pool = new Pool({ connectionString: databaseUrl, max: 10 });
/** What the repositories use of TypeORM's DataSource. */
const ds = { query: (sql, params) => pool.query(sql, params).then((r) => r.rows) };
const log = new DisclosureRepository(ds);
const projects = new PublicProjectsRepository(ds);
/** The API's constant response headers (security headers, Cache-Control), per route. */
const constant = JSON.parse(readFileSync(headersFile, 'utf8'));

const number = (v) => (v === null ? undefined : Number(v));

async function answer(path, params) {
  const segments = path.split('/');
  if (path === '/public/v1/records') {
    const limit = number(params.get('limit')) ?? 100;
    return ['records', recordsPage(await log.records({ after: number(params.get('after')), limit }), limit)];
  }
  if (path === '/public/v1/projects') {
    const query = { limit: number(params.get('limit')) };
    return [
      'projects',
      await paginate(query, (page) => projects.search({}, page), byText('code'), toProjectView),
    ];
  }
  if (segments.length === 6 && segments[3] === 'projects' && segments[5] === 'records') {
    const project = await projects.byCode(decodeURIComponent(segments[4]));
    if (!project) return undefined;
    const limit = number(params.get('limit')) ?? 100;
    const after = number(params.get('after'));
    return ['projectRecords', recordsPage(await log.records({ after, limit, projectId: project.id }), limit)];
  }
  return undefined;
}

createServer((req, res) => {
  const [path, query = ''] = req.url.split('?');
  answer(path, new URLSearchParams(query)).then(
    (found) => {
      if (!found) return res.writeHead(404).end();
      const [route, page] = found;
      const body = Buffer.from(JSON.stringify(page));
      res.writeHead(200, {
        ...constant[route],
        'x-request-id': randomUUID(),
        'content-length': String(body.length),
        etag: etag(body),
      });
      res.end(body);
    },
    (err) => {
      console.error(err);
      res.writeHead(500).end();
    },
  );
}).listen(Number(port), '127.0.0.1', () => process.send('ready'));
