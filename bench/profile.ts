/**
 * How long real AWS (and Kubernetes) work takes, per component kind, in real seconds.
 * The benchmark divides every figure by one stated factor so a whole environment takes
 * about a minute. `apply` is the time the apply activity blocks (the drivers wait with
 * the AWS SDK waiters, e.g. EKS ACTIVE, Aurora available, CloudFront Deployed);
 * `settle` is the time after apply until the readiness check says ready (ACM DNS
 * validation, Kubernetes rollouts), which the workflow waits out with durable timers.
 */
import type { ComponentKind } from '../src/model';

export interface StepTimes {
  plan: number;
  apply: number;
  settle: number;
  /** Where the figure comes from. */
  source: string;
}

/** A Pulumi preview or a server-side dry run: a few seconds each. */
const plan = 10;

export const awsProfile: Record<ComponentKind, StepTimes> = {
  network: {
    plan,
    apply: 150,
    settle: 0,
    source:
      'VPC, subnets, route tables take seconds; NAT gateways stay `pending` 1-2 min before `available` (EC2 DescribeNatGateways waiter `NatGatewayAvailable` polls every 15 s)',
  },
  kms: { plan, apply: 5, settle: 0, source: 'CreateKey is synchronous (seconds)' },
  cluster: {
    plan,
    apply: 780,
    settle: 0,
    source:
      'EKS control plane: "currently averages 15 minutes" (github.com/aws/containers-roadmap/issues/1227), "several minutes" (EKS CreateCluster API reference); 12 min + OIDC provider and add-ons ~1 min',
  },
  'node-groups': {
    plan,
    apply: 300,
    settle: 0,
    source: 'EKS managed node group to ACTIVE: 3-5 min (instances launch and join)',
  },
  database: {
    plan,
    apply: 900,
    settle: 0,
    source: 'Aurora PostgreSQL cluster plus writer and reader instances to `available`: 10-20 min',
  },
  'database-replica': {
    plan,
    apply: 1200,
    settle: 0,
    source: 'Aurora global database secondary cluster (storage replication set-up plus instance): ~20 min',
  },
  cache: {
    plan,
    apply: 600,
    settle: 0,
    source: 'ElastiCache Redis replication group, Multi-AZ, to `available`: 5-15 min',
  },
  storage: { plan, apply: 5, settle: 0, source: 'S3 CreateBucket plus policy and encryption: seconds' },
  dns: {
    plan,
    apply: 60,
    settle: 0,
    source: 'Route 53 hosted zone and records: a change is INSYNC within ~60 s (Route 53 GetChange)',
  },
  certificate: {
    plan,
    apply: 5,
    settle: 240,
    source:
      'ACM certificate: request is instant; DNS validation to ISSUED takes minutes ("up to 30 minutes", ACM user guide); 4 min taken',
  },
  waf: { plan, apply: 30, settle: 0, source: 'WAFv2 web ACL: seconds to ~30 s' },
  cdn: {
    plan,
    apply: 600,
    settle: 0,
    source:
      'CloudFront distribution to Deployed: 5-15 min (15-20 min historically, hashicorp/terraform#8749; the `distribution-deployed` waiter polls every 60 s)',
  },
  'dns-failover': {
    plan,
    apply: 90,
    settle: 0,
    source: 'Route 53 health checks (30 s interval x 3 to healthy) plus failover records INSYNC: ~1.5 min',
  },
  mesh: {
    plan,
    apply: 10,
    settle: 90,
    source: 'server-side apply in seconds; istiod and gateway rollout ~1.5 min',
  },
  monitoring: {
    plan,
    apply: 10,
    settle: 90,
    source: 'server-side apply; Prometheus/collector rollout ~1.5 min',
  },
  app: {
    plan,
    apply: 10,
    settle: 120,
    source: 'server-side apply; Deployment rollout (pull, start, probes) ~2 min',
  },
};

export function stepSeconds(times: StepTimes): number {
  return times.plan + times.apply + times.settle;
}
