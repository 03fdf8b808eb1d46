/**
 * The worker holding only the policy deploy/iam ships, on a private local stack (Temporal dev
 * server, moto, kube-apiservers, a real worker) whose moto checks IAM: an IAM user is made
 * with the policy and an access key while the checks are off, the checks are turned on, and
 * the worker runs with that user's key; anything it calls that the policy does not allow is
 * refused, as AWS would.
 *
 * - moto refuses a user without any policy in every service the worker calls.
 * - A policy without one action (ec2:CreateNatGateway): `lp-infra up` fails at the networks,
 *   at once (one attempt), naming the missing action, and the run removes what it made.
 * - The whole policy: `lp-infra up` and `lp-infra destroy` of environments/local.yaml succeed
 *   and leave nothing.
 * - LP_INFRA_LONG=1: without one create of each further service whose refusal moto words as
 *   AWS does (IAM, RDS, ElastiCache, S3), each in a fresh account.
 *
 * What moto checks is less than what AWS does (docs/emulation.md): the action of each call,
 * and the bucket's ARN for S3; not the resource ARNs of other services, not conditions. The
 * documents themselves are checked as IAM's CreatePolicy checks them.
 */
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { EKSClient, ListClustersCommand } from '@aws-sdk/client-eks';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { DescribeDBClustersCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListWebACLsCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import path from 'node:path';
import type { PolicyDocument } from '../../src/infra/aws/permissions/policy';
import { writtenPolicyFiles } from '../../src/infra/aws/permissions/write-policy';
import { projectRoot } from '../../src/infra/toolchain';
import { loadSpecFile } from '../../src/model';
import { workflowIds } from '../../src/workflows/ids';
import { notEmulatedLeftovers, ownedResources, resetMoto } from '../reliability/cloud-inventory';
import { long } from '../reliability/trials';
import { motoIamChecks, motoIamUser, motoUserPolicies, type AccessKey } from '../helpers/servers';
import { provisionFailure, startLocalStack, type LocalStack } from '../helpers/stack';

const specFile = path.join(projectRoot, 'environments', 'local.yaml');
const spec = loadSpecFile(specFile);
const regions = [spec.regions.primary.region, spec.regions.secondary!.region];
const worker = 'lp-infra-worker';
const note = (line: string) => process.stderr.write(`[iam] ${line}\n`);

/** The parts deploy/iam ships to attach, in order. */
const shipped: PolicyDocument[] = Object.entries(writtenPolicyFiles())
  .filter(([name]) => name.includes('.part'))
  .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
  .map(([, text]) => JSON.parse(text) as PolicyDocument);

/**
 * moto names these calls by its own operation or route, not by the IAM action AWS checks;
 * its name is granted beside the action it stands for.
 */
const motoNames: Record<string, string[]> = {
  's3:ListBucket': ['s3:HeadBucket'],
  'cloudfront:CreateDistribution': ['cloudfront:CreateDistributionWithTags'],
};

/**
 * A document as moto can apply it: moto matches a statement's Resource against `*` for every
 * service but S3 (where it passes the bucket's ARN), so other ARN patterns would never match;
 * it ignores Condition in a user's policies, so those stay as they are.
 */
function asMotoChecks(document: PolicyDocument, without: string[] = []): PolicyDocument {
  const Statement = document.Statement.map((statement) => {
    const kept = statement.Action.filter((action) => !without.includes(action));
    return {
      ...statement,
      Action: [...kept, ...kept.flatMap((action) => motoNames[action] ?? [])],
      Resource: statement.Action.every((action) => action.startsWith('s3:')) ? statement.Resource : '*',
    };
  }).filter((statement) => statement.Action.length > 0);
  return { ...document, Statement };
}

let stack: LocalStack;

/** Runs `work` with moto checking IAM; the checks are off again afterwards, for the test's own looks. */
async function withIamChecks<T>(work: () => Promise<T>): Promise<T> {
  await motoIamChecks(stack.info.awsEndpoint, true);
  try {
    return await work();
  } finally {
    await motoIamChecks(stack.info.awsEndpoint, false);
  }
}

const leftovers = async () =>
  notEmulatedLeftovers(await ownedResources(stack.info.awsEndpoint, regions, spec.name));

beforeAll(async () => {
  const started = Date.now();
  stack = await startLocalStack();
  const key = await motoIamUser(stack.info.awsEndpoint, worker, policyWithout());
  await stack.replaceWorker({
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
  });
  note(`stack up, worker with ${worker}'s key (${Math.round((Date.now() - started) / 1000)} s)`);
}, 600_000);

afterAll(async () => {
  await stack?.stop();
});

test('IAM takes the shipped documents as they are (each part made a managed policy, as CreatePolicy checks it)', async () => {
  expect(shipped.length).toBeGreaterThan(0);
  await expect(motoIamUser(stack.info.awsEndpoint, 'lp-infra-policy-as-shipped', shipped)).resolves.toEqual({
    accessKeyId: expect.any(String),
    secretAccessKey: expect.any(String),
  });
});

test('moto refuses a user without the policy in every service the worker calls (so the runs below are checked in each)', async () => {
  const key = await motoIamUser(stack.info.awsEndpoint, 'lp-infra-no-policy', []);
  const answers = await withIamChecks(() => refusals(stack.info.awsEndpoint, key));
  // Refused everywhere, as AWS would (GetCallerIdentity needs no permission there either).
  expect(answers.filter((a) => a.status !== 403)).toEqual([{ call: 'sts:GetCallerIdentity', status: 200 }]);
  // moto words a refusal in XML: only the query-protocol services' clients read it as AWS's,
  // action named; the others get a parse error or no body (docs/emulation.md).
  expect(answers.filter((a) => a.namesAction).map((a) => a.call)).toEqual([
    'ec2:DescribeVpcs',
    'elasticache:DescribeReplicationGroups',
    'iam:ListRoles',
    'rds:DescribeDBClusters',
  ]);
});

test('without ec2:CreateNatGateway, `up` fails at the networks at once, naming the action, and removes what it made', async () => {
  await motoUserPolicies(stack.info.awsEndpoint, worker, policyWithout('ec2:CreateNatGateway'));
  const failed = await upFailsWithout('ec2:CreateNatGateway');
  // Both regions' networks start at once; both fail alike.
  expect(failed).toEqual(['network', 'secondary/network']);
}, 1_800_000);

test('with only the shipped policy, `up` and `destroy` of local.yaml succeed and leave nothing', async () => {
  await motoUserPolicies(stack.info.awsEndpoint, worker, policyWithout());
  let started = Date.now();
  const up = await withIamChecks(() => stack.cli(['up', specFile], { timeoutMs: 1_800_000 }));
  note(`up: exit ${up.code} (${seconds(started)} s)`);
  expect([up.code, refused(up.stderr)]).toEqual([0, null]);
  expect((await leftovers()).length).toBeGreaterThan(50);

  started = Date.now();
  const destroy = await withIamChecks(() => stack.cli(['destroy', specFile], { timeoutMs: 1_800_000 }));
  note(`destroy: exit ${destroy.code} (${seconds(started)} s)`);
  expect([destroy.code, refused(destroy.stderr)]).toEqual([0, null]);
  expect(await leftovers()).toEqual([]);
}, 3_600_000);

/**
 * One create of each service whose refusal moto words as AWS does (ec2 above), in a fresh
 * account each: the component that calls it fails at once naming it (S3: moto's refusal
 * names no action), and the run removes what it made.
 */
const sweep: { missing: string; components: string[]; says?: RegExp }[] = [
  { missing: 'iam:CreateRole', components: ['cluster', 'database', 'secondary/cluster'] },
  { missing: 'rds:CreateDBCluster', components: ['database'] },
  { missing: 'elasticache:CreateReplicationGroup', components: ['cache', 'secondary/cache'] },
  {
    missing: 's3:PutBucketVersioning',
    components: ['storage'],
    says: /: AccessDenied: [\s\S]*\[aws:AccessDenied\] Access Denied/,
  },
];

(long ? test.each(sweep) : test.skip.each(sweep))(
  'without $missing, `up` fails at once at the components that call it, and removes what it made',
  async ({ missing, components, says }) => {
    await resetMoto(stack.info.awsEndpoint);
    const key = await motoIamUser(stack.info.awsEndpoint, worker, policyWithout(missing));
    await stack.replaceWorker({
      AWS_ACCESS_KEY_ID: key.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    });
    const failed = await upFailsWithout(missing, says);
    expect(failed).toEqual(expect.arrayContaining([components[0]]));
    expect(components).toEqual(expect.arrayContaining(failed));
  },
  1_800_000,
);

/** The shipped parts, as moto checks them, without these actions. */
function policyWithout(...missing: string[]): PolicyDocument[] {
  return shipped.map((part) => asMotoChecks(part, missing));
}

/**
 * Runs `up` with the worker's policy lacking `missing`: it must fail, each failed component
 * naming the action (or saying `says`), after one non-retryable attempt of its apply, and
 * leave nothing behind. Returns the failed components.
 */
async function upFailsWithout(missing: string, says?: RegExp): Promise<string[]> {
  const started = Date.now();
  const up = await withIamChecks(() => stack.cli(['up', specFile], { timeoutMs: 1_800_000 }));
  note(`up without ${missing}: exit ${up.code} (${seconds(started)} s)`);
  expect(up.code).toBe(1);

  const details = await provisionFailure(stack.client, spec.name);
  const failed = details.failed.map((line) => line.split(': ')[0]).sort();
  for (const id of failed) {
    const named =
      says ??
      new RegExp(`: missing permission ${missing}: \\w+: [\\s\\S]*not authorized to perform: ${missing}`);
    const line = details.failed.find((l) => l.startsWith(`${id}: `))!;
    expect({ id, line: named.test(line) ? 'as expected' : line.slice(0, 600) }).toEqual({
      id,
      line: 'as expected',
    });
    expect(up.stderr).toContain(
      `${id}: apply ${spec.name}/${id}: ${says ? '' : `missing permission ${missing}`}`,
    );
    expect(await applyFailures(id)).toEqual([
      { attempt: 1, failure: expect.objectContaining({ nonRetryable: true }) },
    ]);
  }
  expect(details.removal.failed).toEqual([]);
  expect(await leftovers()).toEqual([]);
  return failed;
}

/** Each attempt of a component's apply activity, with how it failed (from its workflow's history). */
async function applyFailures(id: string) {
  const history = await stack.client.workflow.getHandle(workflowIds.component(spec.name, id)).fetchHistory();
  const events = history.events ?? [];
  const applies = events.filter(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'applyComponent',
  );
  const ofApply = (id: unknown) => applies.some((a) => String(a.eventId) === String(id));
  const attempts = events
    .flatMap((e) => e.activityTaskStartedEventAttributes ?? [])
    .filter((a) => ofApply(a.scheduledEventId));
  const failures = events
    .flatMap((e) => e.activityTaskFailedEventAttributes ?? [])
    .filter((a) => ofApply(a.scheduledEventId));
  return attempts.map((a, i) => ({
    attempt: a.attempt,
    failure: failures[i]?.failure?.applicationFailureInfo,
  }));
}

/** Lines of CLI output that tell of a refused call. */
const refused = (output: string) => output.match(/.*(not authorized|AccessDenied|missing permission).*/g);
const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

/** One call of each service the worker calls, as this key: refused (403, and whether the error names the action) or not. */
async function refusals(endpoint: string, credentials: AccessKey) {
  const c = { region: spec.regions.primary.region, endpoint, credentials };
  const calls: [string, () => Promise<unknown>][] = [
    ['acm:ListCertificates', () => new ACMClient(c).send(new ListCertificatesCommand({}))],
    ['cloudfront:ListDistributions', () => new CloudFrontClient(c).send(new ListDistributionsCommand({}))],
    ['ec2:DescribeVpcs', () => new EC2Client(c).send(new DescribeVpcsCommand({}))],
    ['eks:ListClusters', () => new EKSClient(c).send(new ListClustersCommand({}))],
    [
      'elasticache:DescribeReplicationGroups',
      () => new ElastiCacheClient(c).send(new DescribeReplicationGroupsCommand({})),
    ],
    ['iam:ListRoles', () => new IAMClient(c).send(new ListRolesCommand({}))],
    ['kms:ListKeys', () => new KMSClient(c).send(new ListKeysCommand({}))],
    ['logs:DescribeLogGroups', () => new CloudWatchLogsClient(c).send(new DescribeLogGroupsCommand({}))],
    ['rds:DescribeDBClusters', () => new RDSClient(c).send(new DescribeDBClustersCommand({}))],
    ['route53:ListHostedZones', () => new Route53Client(c).send(new ListHostedZonesCommand({}))],
    [
      's3:ListAllMyBuckets',
      () => new S3Client({ ...c, forcePathStyle: true }).send(new ListBucketsCommand({})),
    ],
    ['secretsmanager:ListSecrets', () => new SecretsManagerClient(c).send(new ListSecretsCommand({}))],
    ['sts:GetCallerIdentity', () => new STSClient(c).send(new GetCallerIdentityCommand({}))],
    ['wafv2:ListWebACLs', () => new WAFV2Client(c).send(new ListWebACLsCommand({ Scope: 'REGIONAL' }))],
  ];
  return Promise.all(
    calls.map(async ([call, send]) => {
      try {
        await send();
        return { call, status: 200 };
      } catch (err) {
        const e = err as Error & {
          $metadata?: { httpStatusCode?: number };
          $response?: { statusCode?: number };
        };
        const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
        return { call, status, namesAction: e.message.includes(`not authorized to perform: ${call}`) };
      }
    }),
  );
}
