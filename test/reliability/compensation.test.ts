/**
 * Compensation everywhere, on a private local stack (dev server, moto, kube-apiservers, a real
 * worker): for each component of local.yaml in turn, a permanent failure is injected into it
 * and `up` runs through the real CLI. The run must fail naming that component, remove
 * everything it created, and leave nothing behind: no resource tagged for the environment in
 * moto (in either region) and no labelled object in either API server.
 *
 * The failure comes from where a real one would: for an AWS component the fault proxy in front
 * of moto answers one create call with AccessDenied, chosen so that the component has already
 * made some of its resources; for an in-cluster component a ValidatingAdmissionPolicy in that
 * region's API server refuses one kind of its objects. The fast setting runs one component (the
 * seed picks it), LP_INFRA_LONG=1 runs them all, LP_INFRA_COMPONENTS=kms,secondary/cache the
 * ones named.
 */
import path from 'node:path';
import { componentLabel, environmentLabel } from '../../src/infra/kubernetes/objects';
import { projectRoot } from '../../src/infra/toolchain';
import { componentGraph, loadSpecFile, type ComponentKind, type ComponentNode } from '../../src/model';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { provisionFailure, startLocalStack, type LocalStack } from '../helpers/stack';
import { labelledObjects, notEmulatedLeftovers, ownedResources, resetMoto } from './cloud-inventory';
import { seeded, trials } from './trials';

const specPath = path.join(projectRoot, 'environments', 'local.yaml');
const spec = loadSpecFile(specPath);
const regionOf = (node: ComponentNode) =>
  node.region === 'secondary' ? spec.regions.secondary!.region : spec.regions.primary.region;
const regions = [spec.regions.primary.region, spec.regions.secondary?.region].filter(Boolean) as string[];

/** Where each kind of component fails: one AWS call refused, or one kind of object refused. */
type Fault = { aws: string; says: RegExp } | { refuse: string; says: RegExp };
const denied = /not authorized to perform/;
const faults: Record<ComponentKind, Fault> = {
  network: { aws: 'ec2:CreateNatGateway', says: denied }, // after the VPC, subnets and addresses
  kms: { aws: 'kms:CreateAlias', says: denied }, // after the key
  cluster: { aws: 'eks:POST /clusters', says: denied }, // CreateCluster, after the IAM role
  'node-groups': { aws: 'eks:POST /clusters/*/node-groups', says: denied }, // after the launch templates
  database: { aws: 'rds:CreateDBInstance', says: denied }, // after the secret and the cluster
  'database-replica': { aws: 'rds:CreateDBInstance', says: denied }, // after the member cluster
  cache: { aws: 'elasticache:CreateReplicationGroup', says: denied }, // after groups and the token
  storage: { aws: 's3:PUT /*?lifecycle', says: denied }, // after the bucket and its tags
  dns: { aws: 'route53:POST /2013-04-01/hostedzone', says: denied },
  certificate: { aws: 'acm:RequestCertificate', says: denied },
  waf: { aws: 'wafv2:CreateWebACL', says: denied },
  cdn: { aws: 'cloudfront:POST /2020-05-31/distribution?WithTags', says: denied }, // after the origin access
  'dns-failover': { aws: 'route53:POST /2013-04-01/healthcheck', says: denied },
  mesh: { refuse: 'DestinationRule', says: /refused by lp-infra-test-refusal/ },
  monitoring: { refuse: 'Deployment', says: /refused by lp-infra-test-refusal/ },
  app: { refuse: 'Deployment', says: /refused by lp-infra-test-refusal/ },
};

const nodes = componentGraph(spec);
const { runs, seed } = trials('compensation (a permanent failure in each component)', {
  fast: 1,
  long: nodes.length,
});
const random = seeded(seed);
/** Every component once, in a seeded order; the fast setting takes the first. */
const named = process.env.LP_INFRA_COMPONENTS?.split(',').map((id) => id.trim());
const order = named
  ? named.map((id) => nodes.find((node) => node.id === id) ?? fail(`no component '${id}' in ${specPath}`))
  : nodes
      .map((node) => ({ node, key: random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ node }) => node)
      .slice(0, runs);

function fail(message: string): never {
  throw new Error(message);
}

let stack: LocalStack;
let proxy: FaultProxy;
const note = (line: string) => process.stderr.write(`[reliability] ${line}\n`);

beforeAll(async () => {
  stack = await startLocalStack();
  proxy = await startFaultProxy(stack.info.awsEndpoint, seed);
  await stack.replaceWorker({ LP_INFRA_AWS_ENDPOINT: proxy.endpoint });
}, 600_000);
afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
});

const policy = 'lp-infra-test-refusal';

/** Makes the API server of the node's region refuse objects of one kind of the component. */
async function refuseInCluster(node: ComponentNode, kind: string) {
  const api = stack.kube(regionOf(node));
  await api.create({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: policy },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          { apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['*'] },
        ],
      },
      validations: [{ expression: `object.kind != '${kind}'`, message: `refused by ${policy}` }],
    },
  });
  await api.create({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: policy },
    spec: {
      policyName: policy,
      validationActions: ['Deny'],
      matchResources: {
        objectSelector: { matchLabels: { [environmentLabel]: spec.name, [componentLabel]: node.kind } },
      },
    },
  });
}

async function allowInCluster(node: ComponentNode) {
  const api = stack.kube(regionOf(node));
  for (const kind of ['ValidatingAdmissionPolicyBinding', 'ValidatingAdmissionPolicy'])
    await api.remove({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name: policy } });
}

async function inject(node: ComponentNode): Promise<() => Promise<void>> {
  const fault = faults[node.kind];
  if ('aws' in fault) {
    proxy.deny(fault.aws, 'AccessDenied', regionOf(node));
    return async () => proxy.deny(fault.aws, undefined, regionOf(node));
  }
  await refuseInCluster(node, fault.refuse);
  return () => allowInCluster(node);
}

/** Fails `up` at the node as injected; checks the run removed all it made. Says what happened. */
async function failAt(node: ComponentNode): Promise<string> {
  const started = Date.now();
  const deniedBefore = proxy.injected.denied ?? 0;
  const lift = await inject(node);
  let up;
  try {
    up = await stack.cli(['up', specPath], { timeoutMs: 1_800_000 });
  } finally {
    await lift();
  }

  // The fault was met; the run failed for good, naming the component and the cause, and
  // removed what it made.
  if ('aws' in faults[node.kind]) expect((proxy.injected.denied ?? 0) - deniedBefore).toBeGreaterThan(0);
  expect(up.code).toBe(1);
  const details = await provisionFailure(stack.client, spec.name);
  expect(details.failed).toEqual([expect.stringMatching(new RegExp(`^${node.id}: `))]);
  expect(details.failed[0]).toMatch(faults[node.kind].says);
  expect(details.removal.failed).toEqual([]);

  // Nothing is left: not in AWS (either region), not in either cluster.
  const left = notEmulatedLeftovers(await ownedResources(stack.info.awsEndpoint, regions, spec.name));
  expect(left).toEqual([]);
  expect(await labelledObjects(stack.kube, spec, regions)).toEqual([]);
  const seconds = Math.round((Date.now() - started) / 1000);
  return `${node.id}: failed as injected; ${details.created.length} other component(s) made and removed, nothing left (${seconds} s)`;
}

test(`a permanent failure in each component in turn (${order.length} of ${nodes.length}, seed ${seed}): the run removes all it made`, async () => {
  const problems: string[] = [];
  for (const node of order) {
    try {
      note(await failAt(node));
    } catch (err) {
      problems.push(`${node.id}: ${(err as Error).message}`);
      const why = (err as Error).message.replace(/\s+/g, ' ').slice(0, 400);
      note(`${node.id}: NOT as expected (${why}); destroying the environment before the next component`);
      await stack.cli(['destroy', specPath], { timeoutMs: 1_800_000 });
    }
    await resetMoto(stack.info.awsEndpoint);
  }
  expect(problems).toEqual([]);
}, 14_400_000);
