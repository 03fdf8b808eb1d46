/**
 * The worker's IAM policy (deploy/iam) against the code: the committed files are what the
 * generator writes, every AWS SDK call in src/ is declared by its module (and nothing is
 * declared that the module does not call, unless it says why AWS checks it), and the
 * documents have the shape and size IAM takes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  addonServiceAccounts,
  clusterRolePolicies,
  nodeRolePolicies,
} from '../../../src/infra/aws/eks/managed-policies';
import {
  declaredActions,
  MANAGED_POLICY_MAX_CHARS,
  policyParts,
  policySize,
  workerPolicy,
  type PolicyDocument,
} from '../../../src/infra/aws/permissions/policy';
import { iamActionsOf } from '../../../src/infra/aws/permissions/sdk-calls';
import { policyFiles, writtenPolicyFiles } from '../../../src/infra/aws/permissions/write-policy';
import { projectRoot } from '../../../src/infra/toolchain';

const srcDir = path.join(projectRoot, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** The operation a waiter polls, read from the SDK's own waiter (waitUntilVpcAvailable → DescribeVpcs). */
function waiterOperation(sdkPackage: string, waiter: string): string {
  const file = path.join(
    projectRoot,
    'node_modules',
    sdkPackage,
    'dist-es',
    'waiters',
    `${waiter.replace(/^waitUntil/, 'waitFor')}.js`,
  );
  const polled = [...readFileSync(file, 'utf8').matchAll(/new (\w+)Command\(/g)].map((m) => m[1]);
  if (new Set(polled).size !== 1)
    throw new Error(`${waiter}: cannot tell which operation it polls (${file})`);
  return polled[0];
}

interface SdkCall {
  file: string;
  /** As written: `new DescribeVpcsCommand(`, `paginateListKeys(`, `waitUntilVpcAvailable(`. */
  call: string;
  actions: string[];
}

/** Every AWS SDK call a source file makes, found from its imports of @aws-sdk/client-* packages. */
function sdkCalls(file: string): SdkCall[] {
  const text = readFileSync(file, 'utf8');
  const relative = path.relative(srcDir, file);
  const namespaceImport = /import\s+(\*\s+as\s+\w+|\w+)\s*(,\s*\{[^}]*\})?\s+from\s+'@aws-sdk\/client-/.exec(
    text,
  );
  if (namespaceImport)
    throw new Error(`${relative}: a default or namespace import of an SDK client hides its calls`);

  const imported = new Map<string, { sdkPackage: string; name: string }>();
  for (const match of text.matchAll(
    /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(@aws-sdk\/client-[a-z0-9-]+)'/g,
  )) {
    if (match[1]) continue;
    for (const specifier of match[2].split(',').map((s) => s.trim())) {
      if (!specifier || specifier.startsWith('type ')) continue;
      const [name, local = name] = specifier.split(/\s+as\s+/);
      imported.set(local, { sdkPackage: match[3], name });
    }
  }
  const calls: SdkCall[] = [];
  for (const [local, { sdkPackage, name }] of imported) {
    let operation: string | undefined;
    let call = `${local}(`;
    if (name.endsWith('Command') && new RegExp(`new ${local}\\(`).test(text)) {
      operation = name.replace(/Command$/, '');
      call = `new ${local}(`;
    } else if (name.startsWith('paginate') && new RegExp(`\\b${local}\\(`).test(text)) {
      operation = name.replace(/^paginate/, '');
    } else if (name.startsWith('waitUntil') && new RegExp(`\\b${local}\\(`).test(text)) {
      operation = waiterOperation(sdkPackage, name);
    }
    if (operation) calls.push({ file: relative, call, actions: iamActionsOf(sdkPackage, operation) });
  }
  // A command sent here but imported from elsewhere (a re-export) would not be seen above.
  for (const match of text.matchAll(/new (\w+Command)\(/g)) {
    if (!imported.has(match[1]))
      throw new Error(`${relative}: ${match[0]} is not imported from an @aws-sdk/client-* package`);
  }
  return calls;
}

const calls = sourceFiles(srcDir).flatMap(sdkCalls);
const callingFiles = [...new Set(calls.map((c) => c.file))].sort();
const declaredIn = (file: string) => new Set(declaredActions[file]?.flatMap((grant) => grant.actions) ?? []);

describe('the IAM policy of the worker', () => {
  test('deploy/iam holds what the generator writes (bash scripts/iam-policy.sh)', async () => {
    expect(writtenPolicyFiles()).toEqual(await policyFiles());
  });

  test('the scan finds the SDK calls (waiters and paginators included)', () => {
    // What the scan reads, checked on calls the sources are known to make.
    expect(calls).toEqual(
      expect.arrayContaining([
        { file: 'infra/aws/ec2/vpc.ts', call: 'new CreateVpcCommand(', actions: ['ec2:CreateVpc'] },
        { file: 'infra/aws/ec2/vpc.ts', call: 'waitUntilVpcAvailable(', actions: ['ec2:DescribeVpcs'] },
        { file: 'infra/aws/kms/kms-key.ts', call: 'paginateListKeys(', actions: ['kms:ListKeys'] },
        { file: 'infra/aws/s3/bucket.ts', call: 'waitUntilBucketExists(', actions: ['s3:ListBucket'] },
        {
          file: 'infra/aws/inventory.ts',
          call: 'new ListCacheTags(',
          actions: ['elasticache:ListTagsForResource'],
        },
      ]),
    );
    expect(callingFiles.length).toBeGreaterThan(40);
  });

  test('every module that calls AWS declares its actions; those in src/infra/aws beside the calls', () => {
    const undeclared = callingFiles.filter((file) => !declaredActions[file]);
    expect(undeclared).toEqual([]);
    for (const file of callingFiles.filter((f) => f.startsWith('infra/aws/'))) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module's own export, by path
      const own = require(path.join(srcDir, file)).awsActions;
      expect({ file, same: own === declaredActions[file] }).toEqual({ file, same: true });
    }
    const missingFiles = Object.keys(declaredActions).filter((file) => !existsSync(path.join(srcDir, file)));
    expect(missingFiles).toEqual([]);
  });

  test('every SDK call is declared by its module', () => {
    const missing = calls.flatMap((c) =>
      c.actions
        .filter((action) => !declaredIn(c.file).has(action))
        .map((action) => `${c.file}: ${c.call} needs ${action}`),
    );
    expect(missing).toEqual([]);
  });

  test('a module declares nothing it does not call, unless it says why AWS checks it', () => {
    const stale = Object.entries(declaredActions).flatMap(([file, grants]) => {
      const called = new Set(calls.filter((c) => c.file === file).flatMap((c) => c.actions));
      return grants
        .filter((grant) => !grant.implied)
        .flatMap((grant) =>
          grant.actions.filter((action) => !called.has(action)).map((action) => `${file}: ${action}`),
        );
    });
    expect(stale).toEqual([]);
  });

  test('the policy grants every declared action, and only those', () => {
    const granted = new Set(workerPolicy().Statement.flatMap((s) => s.Action));
    const declared = new Set(
      Object.values(declaredActions).flatMap((grants) => grants.flatMap((g) => g.actions)),
    );
    expect([...granted].sort()).toEqual([...declared].sort());
  });

  test('the documents have the shape IAM takes: unique ids, known operators, ARNs; each part within the managed-policy limit', () => {
    const whole = JSON.parse(
      readFileSync(path.join(projectRoot, 'deploy/iam/lp-infra-worker-policy.json'), 'utf8'),
    ) as PolicyDocument;
    const parts = Object.entries(writtenPolicyFiles())
      .filter(([name]) => name.includes('.part'))
      .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
      .map(([, text]) => JSON.parse(text) as PolicyDocument);
    expect(parts.flatMap((p) => p.Statement)).toEqual(whole.Statement);
    for (const part of parts) expect(policySize(part)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARS);

    expect(whole.Version).toBe('2012-10-17');
    const sids = whole.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    const operators = new Set(['StringLike', 'StringEquals', 'ArnEquals', 'ForAllValues:StringNotEquals']);
    for (const statement of whole.Statement) {
      expect(statement.Sid).toMatch(/^[A-Za-z0-9]+$/);
      expect(statement.Effect).toBe('Allow');
      for (const action of statement.Action) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      for (const resource of [statement.Resource].flat())
        expect(resource).toMatch(/^(\*|arn:aws:[a-z0-9-]+:)/);
      for (const operator of Object.keys(statement.Condition ?? {})) expect(operators).toContain(operator);
    }
  });

  test('tag conditions name the lp-infra:environment tag; asked for environments, they hold those values', () => {
    const tagKeys = (document: PolicyDocument) =>
      document.Statement.flatMap((s) =>
        Object.entries(s.Condition ?? {}).flatMap(([operator, keys]) =>
          Object.entries(keys)
            .filter(([key]) => /^aws:(Request|Resource)Tag\//.test(key))
            .map(([key, value]) => ({ operator, key, value })),
        ),
      );
    const generic = tagKeys(workerPolicy());
    expect(generic.length).toBeGreaterThan(10);
    for (const condition of generic) {
      expect(condition).toEqual({
        operator: 'StringLike',
        key: expect.stringMatching(/^aws:(Request|Resource)Tag\/lp-infra:environment$/),
        value: '*',
      });
    }
    const pinned = workerPolicy({ environments: ['prod', 'staging'], bucketPrefixes: ['lp-system-assets-'] });
    for (const condition of tagKeys(pinned)) {
      expect(condition).toEqual(
        expect.objectContaining({ operator: 'StringEquals', value: ['prod', 'staging'] }),
      );
    }
    const s3Resources = pinned.Statement.filter((s) =>
      s.Action.some((a) => a.startsWith('s3:') && a !== 's3:ListAllMyBuckets'),
    ).flatMap((s) => [s.Resource].flat());
    expect(s3Resources.sort()).toEqual([
      'arn:aws:s3:::lp-system-assets-*',
      'arn:aws:s3:::lp-system-assets-*/*',
    ]);
    expect(policyParts(pinned).length).toBeGreaterThan(0);
  });

  test('roles may get only the AWS-managed policies the components attach', () => {
    const literal = sourceFiles(path.join(srcDir, 'infra/components')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/arn:aws:iam::aws:policy\/([\w/.+-]+)/g)].map((m) => m[1]),
    );
    const attached = [
      ...clusterRolePolicies,
      ...nodeRolePolicies,
      ...Object.values(addonServiceAccounts).map((account) => account.policy),
      ...literal,
    ];
    const condition = workerPolicy().Statement.find((s) =>
      s.Action.includes('iam:AttachRolePolicy'),
    )?.Condition;
    expect([condition?.ArnEquals?.['iam:PolicyARN']].flat().sort()).toEqual(
      [...new Set(attached)].map((name) => `arn:aws:iam::aws:policy/${name}`).sort(),
    );
  });
});
