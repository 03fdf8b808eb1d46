/**
 * ARN patterns of the resource types grants name (`on`), per service, as the Service
 * Authorization Reference writes them. Region and account are `*`: the policy is attached to
 * an identity of one account, and lp-infra works in several regions.
 */
import type { PolicyOptions } from './grants';

type Patterns = (options: PolicyOptions) => Record<string, string[]>;

const ec2Types = [
  'vpc',
  'subnet',
  'security-group',
  'security-group-rule',
  'internet-gateway',
  'elastic-ip',
  'natgateway',
  'route-table',
  'launch-template',
  'instance',
  'volume',
  'network-interface',
  'image',
];

/** S3 buckets are not scoped by tag (lp-infra does not turn on bucket ABAC): by name instead. */
const buckets = (o: PolicyOptions) => (o.bucketPrefixes.length ? o.bucketPrefixes : ['']);

const patterns: Record<string, Patterns> = {
  ec2: ({ partition: p }) =>
    Object.fromEntries(ec2Types.map((type) => [type, [`arn:${p}:ec2:*:*:${type}/*`]])),
  eks: ({ partition: p }) => ({
    cluster: [`arn:${p}:eks:*:*:cluster/*`],
    nodegroup: [`arn:${p}:eks:*:*:nodegroup/*/*/*`],
    addon: [`arn:${p}:eks:*:*:addon/*/*/*`],
  }),
  iam: ({ partition: p }) => ({
    role: [`arn:${p}:iam::*:role/*`],
    'oidc-provider': [`arn:${p}:iam::*:oidc-provider/*`],
    'service-linked-role': [`arn:${p}:iam::*:role/aws-service-role/*`],
  }),
  kms: ({ partition: p }) => ({
    key: [`arn:${p}:kms:*:*:key/*`],
    alias: [`arn:${p}:kms:*:*:alias/*`],
  }),
  rds: ({ partition: p }) => ({
    cluster: [`arn:${p}:rds:*:*:cluster:*`],
    db: [`arn:${p}:rds:*:*:db:*`],
    subgrp: [`arn:${p}:rds:*:*:subgrp:*`],
    'global-cluster': [`arn:${p}:rds::*:global-cluster:*`],
    'cluster-snapshot': [`arn:${p}:rds:*:*:cluster-snapshot:*`],
  }),
  s3: (o) => ({
    bucket: buckets(o).map((prefix) => `arn:${o.partition}:s3:::${prefix}*`),
    object: buckets(o).map((prefix) => `arn:${o.partition}:s3:::${prefix}*/*`),
  }),
  route53: ({ partition: p }) => ({
    hostedzone: [`arn:${p}:route53:::hostedzone/*`],
    healthcheck: [`arn:${p}:route53:::healthcheck/*`],
    change: [`arn:${p}:route53:::change/*`],
  }),
  cloudfront: ({ partition: p }) => ({
    distribution: [`arn:${p}:cloudfront::*:distribution/*`],
    'origin-access-identity': [`arn:${p}:cloudfront::*:origin-access-identity/*`],
    'origin-access-control': [`arn:${p}:cloudfront::*:origin-access-control/*`],
  }),
  wafv2: ({ partition: p }) => ({
    webacl: [`arn:${p}:wafv2:*:*:*/webacl/*/*`],
    managedruleset: [`arn:${p}:wafv2:*:*:*/managedruleset/*/*`],
  }),
};

/** The ARN patterns of one resource type of a service; throws for a type this table does not know. */
export function resourceArns(service: string, type: string, options: PolicyOptions): string[] {
  const found = patterns[service]?.(options)[type];
  if (!found)
    throw new Error(`no ARN pattern for ${service} resource type '${type}' (permissions/resources.ts)`);
  return found;
}
