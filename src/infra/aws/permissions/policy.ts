/**
 * The worker's IAM policy, built from what every module that calls AWS declares
 * (`awsActions` beside the calls, callers.ts for the modules outside src/infra/aws).
 * deploy/iam/lp-infra-worker-policy.json is this with the default options; regenerate it
 * with `bash scripts/iam-policy.sh` (a unit test fails while it differs).
 */
import { awsActions as acmCertificate } from '../acm/certificate';
import { awsActions as cloudfrontDistribution } from '../cloudfront/distribution';
import { awsActions as cloudfrontOriginAccess } from '../cloudfront/origin-access';
import { awsActions as ec2ElasticIp } from '../ec2/elastic-ip';
import { awsActions as ec2InternetGateway } from '../ec2/internet-gateway';
import { awsActions as ec2LaunchTemplate } from '../ec2/launch-template';
import { awsActions as ec2NatGateway } from '../ec2/nat-gateway';
import { awsActions as ec2RouteTable } from '../ec2/route-table';
import { awsActions as ec2SecurityGroupIngress } from '../ec2/security-group-ingress';
import { awsActions as ec2SecurityGroup } from '../ec2/security-group';
import { awsActions as ec2Subnet } from '../ec2/subnet';
import { awsActions as ec2TaggedResource } from '../ec2/tagged-resource';
import { awsActions as ec2Vpc } from '../ec2/vpc';
import { awsActions as eksAddon } from '../eks/addon';
import { awsActions as eksCluster } from '../eks/cluster';
import { awsActions as eksEksClient } from '../eks/eks-client';
import { awsActions as eksNodeGroup } from '../eks/node-group';
import { awsActions as elasticacheCacheParameterGroup } from '../elasticache/cache-parameter-group';
import { awsActions as elasticacheCacheSubnetGroup } from '../elasticache/cache-subnet-group';
import { awsActions as elasticacheReplicationGroup } from '../elasticache/replication-group';
import { awsActions as iamIamRole } from '../iam/iam-role';
import { awsActions as iamOidcProvider } from '../iam/oidc-provider';
import { awsActions as inventory } from '../inventory';
import { awsActions as kmsKmsKey } from '../kms/kms-key';
import { awsActions as logsLogGroup } from '../logs/log-group';
import { awsActions as rdsAuroraCluster } from '../rds/aurora-cluster';
import { awsActions as rdsAuroraInstance } from '../rds/aurora-instance';
import { awsActions as rdsDbSubnetGroup } from '../rds/db-subnet-group';
import { awsActions as rdsGlobalCluster } from '../rds/global-cluster';
import { awsActions as rdsRdsTags } from '../rds/rds-tags';
import { awsActions as route53HealthCheck } from '../route53/health-check';
import { awsActions as route53HostedZone } from '../route53/hosted-zone';
import { awsActions as route53Record } from '../route53/record';
import { awsActions as route53Tags } from '../route53/tags';
import { awsActions as s3BucketPolicy } from '../s3/bucket-policy';
import { awsActions as s3BucketSettings } from '../s3/bucket-settings';
import { awsActions as s3Bucket } from '../s3/bucket';
import { awsActions as secretsGeneratedSecret } from '../secrets/generated-secret';
import { awsActions as wafv2WebAcl } from '../wafv2/web-acl';
import { addonServiceAccounts, clusterRolePolicies, nodeRolePolicies } from '../eks/managed-policies';
import { TAG_ENVIRONMENT } from '../tags';
import { callerActions } from './callers';
import type { AwsGrant, Condition, PolicyOptions } from './grants';
import { resourceArns } from './resources';

/** Grants by module, as a path under src/. */
export const declaredActions: Record<string, AwsGrant[]> = {
  'infra/aws/acm/certificate.ts': acmCertificate,
  'infra/aws/cloudfront/distribution.ts': cloudfrontDistribution,
  'infra/aws/cloudfront/origin-access.ts': cloudfrontOriginAccess,
  'infra/aws/ec2/elastic-ip.ts': ec2ElasticIp,
  'infra/aws/ec2/internet-gateway.ts': ec2InternetGateway,
  'infra/aws/ec2/launch-template.ts': ec2LaunchTemplate,
  'infra/aws/ec2/nat-gateway.ts': ec2NatGateway,
  'infra/aws/ec2/route-table.ts': ec2RouteTable,
  'infra/aws/ec2/security-group-ingress.ts': ec2SecurityGroupIngress,
  'infra/aws/ec2/security-group.ts': ec2SecurityGroup,
  'infra/aws/ec2/subnet.ts': ec2Subnet,
  'infra/aws/ec2/tagged-resource.ts': ec2TaggedResource,
  'infra/aws/ec2/vpc.ts': ec2Vpc,
  'infra/aws/eks/addon.ts': eksAddon,
  'infra/aws/eks/cluster.ts': eksCluster,
  'infra/aws/eks/eks-client.ts': eksEksClient,
  'infra/aws/eks/node-group.ts': eksNodeGroup,
  'infra/aws/elasticache/cache-parameter-group.ts': elasticacheCacheParameterGroup,
  'infra/aws/elasticache/cache-subnet-group.ts': elasticacheCacheSubnetGroup,
  'infra/aws/elasticache/replication-group.ts': elasticacheReplicationGroup,
  'infra/aws/iam/iam-role.ts': iamIamRole,
  'infra/aws/iam/oidc-provider.ts': iamOidcProvider,
  'infra/aws/inventory.ts': inventory,
  'infra/aws/kms/kms-key.ts': kmsKmsKey,
  'infra/aws/logs/log-group.ts': logsLogGroup,
  'infra/aws/rds/aurora-cluster.ts': rdsAuroraCluster,
  'infra/aws/rds/aurora-instance.ts': rdsAuroraInstance,
  'infra/aws/rds/db-subnet-group.ts': rdsDbSubnetGroup,
  'infra/aws/rds/global-cluster.ts': rdsGlobalCluster,
  'infra/aws/rds/rds-tags.ts': rdsRdsTags,
  'infra/aws/route53/health-check.ts': route53HealthCheck,
  'infra/aws/route53/hosted-zone.ts': route53HostedZone,
  'infra/aws/route53/record.ts': route53Record,
  'infra/aws/route53/tags.ts': route53Tags,
  'infra/aws/s3/bucket-policy.ts': s3BucketPolicy,
  'infra/aws/s3/bucket-settings.ts': s3BucketSettings,
  'infra/aws/s3/bucket.ts': s3Bucket,
  'infra/aws/secrets/generated-secret.ts': secretsGeneratedSecret,
  'infra/aws/wafv2/web-acl.ts': wafv2WebAcl,
  ...callerActions,
};

/** The database's enhanced monitoring role (src/infra/components/database.ts). */
const rdsMonitoringPolicy = 'service-role/AmazonRDSEnhancedMonitoringRole';

export const defaultPolicyOptions: PolicyOptions = {
  partition: 'aws',
  environments: [],
  bucketPrefixes: [],
  managedPolicies: [
    ...clusterRolePolicies,
    ...nodeRolePolicies,
    ...Object.values(addonServiceAccounts).map((account) => account.policy),
    rdsMonitoringPolicy,
  ],
};

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Condition;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

interface Entry {
  scope: 'created' | 'created-in-tagged' | 'tagged' | 'type' | 'any';
  actions: string[];
  resources: string[];
  condition: Condition;
}

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** The tag conditions of a grant: any value of the tag, or one of the environments asked for. */
function tagCondition(when: AwsGrant['when'], options: PolicyOptions): Condition {
  const on = (place: 'Request' | 'Resource'): Condition => {
    const key = `aws:${place}Tag/${TAG_ENVIRONMENT}`;
    return options.environments.length
      ? { StringEquals: { [key]: sorted(options.environments) } }
      : { StringLike: { [key]: '*' } };
  };
  if (when === 'created') return on('Request');
  if (when === 'tagged') return on('Resource');
  if (when === 'created-in-tagged') return mergeConditions(on('Request'), on('Resource'));
  return {};
}

function mergeConditions(...conditions: Condition[]): Condition {
  const merged: Record<string, Record<string, string[]>> = {};
  for (const condition of conditions)
    for (const [operator, keys] of Object.entries(condition))
      for (const [key, value] of Object.entries(keys))
        (merged[operator] ??= {})[key] = sorted([...(merged[operator]?.[key] ?? []), ...[value].flat()]);
  return merged;
}

/** The same condition with keys in order and a single value as a string, as IAM prints it. */
function canonical(condition: Condition): Condition {
  return Object.fromEntries(
    Object.keys(condition)
      .sort()
      .map((operator) => [
        operator,
        Object.fromEntries(
          Object.keys(condition[operator])
            .sort()
            .map((key) => {
              const values = sorted([condition[operator][key]].flat());
              return [key, values.length === 1 ? values[0] : values];
            }),
        ),
      ]),
  );
}

function entriesOf(grant: AwsGrant, options: PolicyOptions): Entry[] {
  const services = sorted(grant.actions.map((action) => action.split(':')[0]));
  const extra = typeof grant.condition === 'function' ? grant.condition(options) : (grant.condition ?? {});
  return services.map((service) => ({
    scope: grant.when ?? (grant.on ? 'type' : 'any'),
    actions: sorted(grant.actions.filter((action) => action.startsWith(`${service}:`))),
    resources: grant.on ? sorted(grant.on.flatMap((type) => resourceArns(service, type, options))) : ['*'],
    condition: canonical(mergeConditions(tagCondition(grant.when, options), extra)),
  }));
}

/** Merges entries that share a key, with `merge`; returns whether any were merged. */
function mergeBy(entries: Entry[], key: (e: Entry) => string, merge: (a: Entry, b: Entry) => void): boolean {
  const first = new Map<string, Entry>();
  let merged = false;
  for (const entry of [...entries]) {
    const k = key(entry);
    const into = first.get(k);
    if (!into) {
      first.set(k, entry);
      continue;
    }
    merge(into, entry);
    entries.splice(entries.indexOf(entry), 1);
    merged = true;
  }
  return merged;
}

const shape = (condition: Condition) =>
  JSON.stringify(Object.entries(condition).map(([operator, keys]) => [operator, Object.keys(keys)]));

/**
 * One statement per scope, resources and condition (so actions of several services share the
 * statements on every resource, `*`). Statements with the same actions and the same condition
 * keys are joined too (their resources and condition values united): e.g. EC2's CreateTags on
 * each new resource type, each with its own ec2:CreateAction.
 */
function statements(entries: Entry[]): Entry[] {
  for (let changed = true; changed;) {
    const byTarget = mergeBy(
      entries,
      (e) => JSON.stringify([e.scope, e.resources, e.condition]),
      (a, b) => (a.actions = sorted([...a.actions, ...b.actions])),
    );
    const byActions = mergeBy(
      entries,
      (e) => JSON.stringify([e.scope, e.actions, shape(e.condition)]),
      (a, b) => {
        a.resources = sorted([...a.resources, ...b.resources]);
        a.condition = canonical(mergeConditions(a.condition, b.condition));
      },
    );
    changed = byTarget || byActions;
  }
  return entries;
}

const scopeNames = {
  any: 'AnyResource',
  type: 'ByResourceType',
  created: 'TaggedOnCreate',
  'created-in-tagged': 'TaggedOnCreateInTagged',
  tagged: 'TaggedResources',
} as const;
const scopeOrder = Object.keys(scopeNames);
const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const servicesOf = (e: Entry) => sorted(e.actions.map((action) => action.split(':')[0]));
/** `Ec2`, or nothing for a statement of several services. */
const serviceName = (e: Entry) => (servicesOf(e).length > 1 ? '' : capitalized(servicesOf(e)[0]));

/** The worker's IAM policy document for these options (defaults: any environment, any bucket). */
export function workerPolicy(asked: Partial<PolicyOptions> = {}): PolicyDocument {
  const options = { ...defaultPolicyOptions, ...asked };
  const entries = statements(
    Object.values(declaredActions).flatMap((grants) => grants.flatMap((grant) => entriesOf(grant, options))),
  ).sort(
    (a, b) =>
      serviceName(a).localeCompare(serviceName(b)) ||
      scopeOrder.indexOf(a.scope) - scopeOrder.indexOf(b.scope) ||
      a.actions[0].localeCompare(b.actions[0]),
  );
  const counts = new Map<string, number>();
  const Statement = entries.map((entry): PolicyStatement => {
    const base = `${serviceName(entry)}${scopeNames[entry.scope]}`;
    const n = (counts.get(base) ?? 0) + 1;
    counts.set(base, n);
    return {
      Sid: n === 1 ? base : `${base}${n}`,
      Effect: 'Allow',
      Action: entry.actions,
      Resource: entry.resources.length === 1 ? entry.resources[0] : entry.resources,
      ...(Object.keys(entry.condition).length ? { Condition: entry.condition } : {}),
    };
  });
  return { Version: '2012-10-17', Statement };
}

/** Actions no SDK call names, each with why AWS checks it and who declares it. */
export function impliedActions(): { action: string; why: string; module: string }[] {
  return Object.entries(declaredActions).flatMap(([module, grants]) =>
    grants.flatMap((grant) =>
      grant.implied ? grant.actions.map((action) => ({ action, why: grant.implied!, module })) : [],
    ),
  );
}

/** IAM's limit for a customer-managed policy: characters, not counting whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** IAM's size of a policy document. */
export const policySize = (document: PolicyDocument) => JSON.stringify(document).replace(/\s/g, '').length;

/**
 * The statements in as few documents as fit IAM's managed-policy limit, in order: the whole
 * policy is larger than any single policy IAM takes, so it is attached as these parts.
 */
export function policyParts(document: PolicyDocument, maxChars = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
  const parts: PolicyDocument[] = [];
  for (const statement of document.Statement) {
    const last = parts.at(-1);
    if (last && policySize({ ...last, Statement: [...last.Statement, statement] }) <= maxChars) {
      last.Statement.push(statement);
      continue;
    }
    const part: PolicyDocument = { Version: document.Version, Statement: [statement] };
    if (policySize(part) > maxChars)
      throw new Error(`statement ${statement.Sid} alone exceeds ${maxChars} characters`);
    parts.push(part);
  }
  return parts;
}
