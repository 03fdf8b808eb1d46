import type { ComponentOutputs, ComponentRequest } from './contract';
import { ownershipTags } from '../aws/tags';

/** The AWS region the component lives in (its node says primary or secondary). */
export function regionOf(request: ComponentRequest): string {
  return request.spec.regions[request.node.region].region;
}

/** The spec's tags plus the ownership tags that let retries, drift checks and tests find the resource. */
export function resourceTags(request: ComponentRequest): Record<string, string> {
  return { ...request.spec.tags, ...ownershipTags(request.spec.name, request.node.id) };
}

/** The id of a sibling component in the same region: `network` or `secondary/network`. */
export function sameRegion(request: ComponentRequest, kind: string): string {
  return request.node.region === 'primary' ? kind : `${request.node.region}/${kind}`;
}

/** One output of a component this one depends on; a clear error when it is missing. */
export function dependencyOutput<T extends ComponentOutputs[string]>(
  request: ComponentRequest,
  componentId: string,
  key: string,
): T {
  const value = request.inputs[componentId]?.[key];
  if (value === undefined || value === '') {
    throw new Error(
      `${request.node.id} needs output '${key}' of component '${componentId}', which it did not get`,
    );
  }
  return value as T;
}

/** The ARN of a customer-managed key from the kms component of the given id (`key:<alias>`). */
export function kmsKeyArn(
  request: ComponentRequest,
  kmsComponentId: string,
  alias: string | undefined,
): string | undefined {
  return alias === undefined ? undefined : dependencyOutput<string>(request, kmsComponentId, `key:${alias}`);
}

/** Secrets Manager name of a secret lp-infra generates for this component. */
export function secretName(request: ComponentRequest, purpose: string): string {
  return `lp-infra/${request.spec.name}/${request.node.id}/${purpose}`;
}
