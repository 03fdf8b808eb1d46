/**
 * Which cluster a component's objects go to. A kubeconfig file named by the environment wins
 * (LP_INFRA_KUBECONFIG_<REGION>, e.g. LP_INFRA_KUBECONFIG_US_WEST_2, then LP_INFRA_KUBECONFIG), as
 * the local stack and the tests set them; otherwise, for a real environment, the EKS cluster of the
 * region: its endpoint and CA from DescribeCluster and a bearer token made as `aws eks get-token`
 * makes it (a presigned STS GetCallerIdentity URL naming the cluster).
 */
import { STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RegionRole, SpecWith } from '../../model';
import { awsClient, awsEndpoint } from '../aws/clients';
import { clientNode, type KubeConfig } from './client-node';
import { KubernetesError } from './errors';

export interface ClusterTarget {
  /** AWS region: us-east-1. */
  region: string;
  /** EKS cluster name. */
  clusterName: string;
}

export function clusterTarget(spec: SpecWith<'cluster'>, role: RegionRole): ClusterTarget {
  return role === 'primary'
    ? { region: spec.regions.primary.region, clusterName: spec.cluster.name }
    : { region: spec.regions.secondary.region, clusterName: spec.regions.secondary.clusterName };
}

export function kubeconfigVariable(region: string): string {
  return `LP_INFRA_KUBECONFIG_${region.toUpperCase().replace(/-/g, '_')}`;
}

/** The kubeconfig file the environment names for a region, if any. */
export function kubeconfigFileFor(region: string): string | undefined {
  return process.env[kubeconfigVariable(region)] || process.env.LP_INFRA_KUBECONFIG || undefined;
}

export async function kubeConfigFor(spec: SpecWith<'cluster'>, role: RegionRole): Promise<KubeConfig> {
  const target = clusterTarget(spec, role);
  const file = kubeconfigFileFor(target.region);
  if (file) {
    const config = new clientNode.KubeConfig();
    config.loadFromFile(file);
    return config;
  }
  if (spec.emulated) {
    throw new KubernetesError(
      `no kubeconfig for the local cluster of ${target.region}: set ${kubeconfigVariable(target.region)} or ` +
        `LP_INFRA_KUBECONFIG ('lp-infra dev up' starts the local clusters and sets them for its worker)`,
    );
  }
  return eksKubeConfig(target);
}

async function signer(region: string, service: string): Promise<SignatureV4> {
  const sts = awsClient(STSClient, region);
  const credentials = await sts.config.credentials();
  return new SignatureV4({ credentials, region, service, sha256: sts.config.sha256 });
}

/** `aws eks get-token`: a presigned GetCallerIdentity URL that names the cluster, valid for 15 minutes. */
export async function eksToken(target: ClusterTarget): Promise<string> {
  const hostname = `sts.${target.region}.amazonaws.com`;
  const presigned = await (
    await signer(target.region, 'sts')
  ).presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: hostname, 'x-k8s-aws-id': target.clusterName },
    },
    { expiresIn: 60 },
  );
  const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
  return `k8s-aws-v1.${Buffer.from(`https://${hostname}/?${query}`).toString('base64url')}`;
}

export interface EksCluster {
  endpoint: string;
  certificateAuthority: string;
  status: string;
}

/** A call to the EKS REST API, signed with the worker's AWS credentials (the emulator's endpoint when set). */
export async function eksRequest(
  region: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const base = new URL(awsEndpoint(region) ?? `https://eks.${region}.amazonaws.com`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const signed = await (
    await signer(region, 'eks')
  ).sign({
    method,
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port ? Number(base.port) : undefined,
    path,
    query: {},
    headers: {
      host: base.host,
      accept: 'application/json',
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: payload,
  });
  const response = await fetch(new URL(path, base), {
    method,
    headers: signed.headers as Record<string, string>,
    body: payload,
  });
  const answer = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) {
    const message = `EKS ${method} ${path} in ${region}: ${answer.message ?? response.status}`;
    throw new KubernetesError(message, response.status, 'EksRequestFailed');
  }
  return answer;
}

/** DescribeCluster: the endpoint and the CA of the cluster's API server. */
export async function describeEksCluster(target: ClusterTarget): Promise<EksCluster> {
  const path = `/clusters/${encodeURIComponent(target.clusterName)}`;
  const { cluster } = (await eksRequest(target.region, 'GET', path)) as {
    cluster?: { endpoint?: string; certificateAuthority?: { data?: string }; status?: string };
  };
  if (!cluster?.endpoint || !cluster.certificateAuthority?.data) {
    throw new Error(
      `EKS cluster ${target.clusterName} has no endpoint yet (status ${cluster?.status ?? 'unknown'})`,
    );
  }
  return {
    endpoint: cluster.endpoint,
    certificateAuthority: cluster.certificateAuthority.data,
    status: cluster.status ?? 'UNKNOWN',
  };
}

export function kubeConfigFromParts(target: ClusterTarget, cluster: EksCluster, token: string): KubeConfig {
  const config = new clientNode.KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: target.clusterName, server: cluster.endpoint, caData: cluster.certificateAuthority }],
    users: [{ name: 'lp-infra', token }],
    contexts: [{ name: target.clusterName, cluster: target.clusterName, user: 'lp-infra' }],
    currentContext: target.clusterName,
  });
  return config;
}

export async function eksKubeConfig(target: ClusterTarget): Promise<KubeConfig> {
  const [cluster, token] = await Promise.all([describeEksCluster(target), eksToken(target)]);
  return kubeConfigFromParts(target, cluster, token);
}
