/**
 * What an environment owns in the emulated account: every resource tagged
 * lp-infra:environment=<env> (Resource Groups Tagging API, per region), every object its
 * in-cluster components labelled in the API servers, and the secret values Secrets Manager
 * holds, to look for in workflow histories.
 */
import {
  GetSecretValueCommand,
  ListSecretsCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { DescribeNatGatewaysCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { TAG_COMPONENT, TAG_ENVIRONMENT } from '../../src/infra/aws/tags';
import type { KubeApi } from '../../src/infra/kubernetes/api';
import { ownedObjects } from '../../src/infra/kubernetes/apply';
import { objectName } from '../../src/infra/kubernetes/objects';
import type { EnvironmentSpec } from '../../src/model';
import type { Secret } from './secrets';

export interface Owned {
  arn: string;
  /** e.g. ec2:subnet, rds:cluster, s3 */
  type: string;
  component: string;
  name: string;
}

const credentials = { accessKeyId: 'lp-infra-local', secretAccessKey: 'lp-infra-local' };

/** GetResources over moto's JSON protocol (moto reads the region from the credential scope). */
async function getResources(endpoint: string, region: string, environment: string) {
  const owned: Owned[] = [];
  let token: string | undefined;
  do {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'ResourceGroupsTaggingAPI_20170126.GetResources',
        Authorization: `AWS4-HMAC-SHA256 Credential=lp-infra-local/20260101/${region}/tagging/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: JSON.stringify({
        TagFilters: [{ Key: TAG_ENVIRONMENT, Values: [environment] }],
        ...(token ? { PaginationToken: token } : {}),
      }),
    });
    if (!response.ok)
      throw new Error(`GetResources in ${region}: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as {
      ResourceTagMappingList?: { ResourceARN: string; Tags?: { Key: string; Value: string }[] }[];
      PaginationToken?: string;
    };
    for (const r of page.ResourceTagMappingList ?? []) {
      const tags = Object.fromEntries((r.Tags ?? []).map((t) => [t.Key, t.Value]));
      const [, , service, , , rest = ''] = r.ResourceARN.split(':');
      const kind = rest.split(/[/:]/)[0];
      owned.push({
        arn: r.ResourceARN,
        type: kind ? `${service}:${kind}` : service,
        component: tags[TAG_COMPONENT] ?? '?',
        name: tags.Name ?? '',
      });
    }
    token = page.PaginationToken || undefined;
  } while (token);
  return owned;
}

/**
 * Removed resources that AWS (and moto) still list for a while: a deleted NAT gateway stays
 * visible in state `deleted`, a removed KMS key waits out its deletion window.
 */
async function stillLive(endpoint: string, r: Owned): Promise<boolean> {
  const region = r.arn.split(':')[3];
  if (r.type === 'ec2:natgateway') {
    const ec2 = new EC2Client({ region, endpoint, credentials });
    const id = r.arn.split('/').pop()!;
    const { NatGateways } = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }));
    ec2.destroy();
    return (NatGateways ?? []).some((n) => n.State !== 'deleted' && n.State !== 'deleting');
  }
  if (r.type === 'kms:key') {
    const kms = new KMSClient({ region, endpoint, credentials });
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: r.arn }));
    kms.destroy();
    return KeyMetadata?.KeyState !== 'PendingDeletion' && KeyMetadata?.KeyState !== 'PendingReplicaDeletion';
  }
  if (r.type === 'elasticache:replicationgroup') {
    // moto keeps a deleted replication group in status `deleting` for good.
    const cache = new ElastiCacheClient({ region, endpoint, credentials });
    const id = r.arn.split(':').pop()!;
    const groups = await cache
      .send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))
      .then((g) => g.ReplicationGroups ?? [])
      .catch(() => []);
    cache.destroy();
    return groups.some((g) => g.Status !== 'deleting');
  }
  // Automated snapshots (`rds:<cluster>-<time>`) belong to AWS, not to lp-infra; AWS removes
  // them with the cluster, moto keeps them.
  if (r.type === 'rds:cluster-snapshot' && r.arn.includes(':cluster-snapshot:rds:')) return false;
  return true;
}

/**
 * What may remain after a destroy on moto only: it does not implement DeleteCacheSubnetGroup,
 * so the driver skips that call there (not emulated). On AWS the group is removed.
 */
export const notEmulatedLeftovers = (owned: Owned[]): Owned[] =>
  owned.filter((r) => r.type !== 'elasticache:subnetgroup');

/** What the environment owns now (removed-but-still-listed resources left out). */
export async function ownedResources(
  endpoint: string,
  regions: string[],
  environment: string,
): Promise<Owned[]> {
  const listed = (
    await Promise.all(regions.map((region) => getResources(endpoint, region, environment)))
  ).flat();
  const live = await Promise.all(listed.map((r) => stillLive(endpoint, r)));
  return listed.filter((_, i) => live[i]);
}

/** Every object the in-cluster components (mesh, app, monitoring) own, as `<region> <Kind> <ns>/<name>`. */
export async function labelledObjects(
  kube: (region: string) => KubeApi,
  spec: EnvironmentSpec,
  regions: string[],
): Promise<string[]> {
  const names: string[] = [];
  for (const region of regions) {
    for (const component of ['mesh', 'app', 'monitoring'] as const)
      for (const object of await ownedObjects(kube(region), spec, component))
        names.push(`${region} ${objectName(object)}`);
  }
  return names.sort();
}

/** moto never finishes deleting a replication group: after a destroy, the next up needs a fresh one. */
export async function resetMoto(endpoint: string) {
  const answer = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!answer.ok) throw new Error(`moto reset: ${answer.status} ${await answer.text()}`);
}

/** Resources of the same type, component and Name tag that exist more than once. */
export function duplicates(owned: Owned[]): string[] {
  const seen = new Map<string, string[]>();
  for (const r of owned.filter((o) => o.name)) {
    const key = `${r.type} ${r.component} ${r.name}`;
    seen.set(key, [...(seen.get(key) ?? []), r.arn]);
  }
  return [...seen].filter(([, arns]) => arns.length > 1).map(([key, arns]) => `${key}: ${arns.join(', ')}`);
}

/** Count per type and component: two runs that made the same thing have equal counts. */
export function census(owned: Owned[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of owned) counts[`${r.component} ${r.type}`] = (counts[`${r.component} ${r.type}`] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort());
}

/** Every secret value in Secrets Manager, in every region given. */
export async function secretValues(endpoint: string, regions: string[]): Promise<Secret[]> {
  const found: Secret[] = [];
  for (const region of regions) {
    const client = new SecretsManagerClient({ region, endpoint, credentials });
    const list = await client.send(new ListSecretsCommand({}));
    for (const secret of list.SecretList ?? []) {
      const value = await client.send(new GetSecretValueCommand({ SecretId: secret.ARN }));
      const text = value.SecretString ?? '';
      found.push({ name: `${region} ${secret.Name}`, value: text });
      // A JSON secret: each string field (the password itself) is looked for as well.
      try {
        for (const [key, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) {
          if (typeof v === 'string' && v.length >= 8)
            found.push({ name: `${region} ${secret.Name}.${key}`, value: v });
        }
      } catch {
        // not JSON
      }
    }
    client.destroy();
  }
  return found;
}
