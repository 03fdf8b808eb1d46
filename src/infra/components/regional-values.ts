import type { ComponentRequest, RequestWith } from './contract';

/** The network section of the component's region. */
export function networkSpecOf(request: RequestWith<'network'>) {
  return request.node.region === 'primary' ? request.spec.network : request.spec.regions.secondary.network;
}

/** The EKS cluster of the component's region. */
export function clusterNameOf(request: RequestWith<'cluster'>): string {
  return request.node.region === 'primary'
    ? request.spec.cluster.name
    : request.spec.regions.secondary.clusterName;
}

/** Prefix of resource names: `local` in the primary region, `local-secondary` in the other. */
export function namePrefix(request: ComponentRequest<never>): string {
  return request.node.region === 'primary'
    ? request.spec.name
    : `${request.spec.name}-${request.node.region}`;
}

/** The AWS partition of a region: aws, aws-us-gov or aws-cn. */
export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** The ARN of an AWS-managed IAM policy, e.g. `AmazonEKSClusterPolicy` or `service-role/…`. */
export function awsManagedPolicy(region: string, name: string): string {
  return `arn:${partitionOf(region)}:iam::aws:policy/${name}`;
}
