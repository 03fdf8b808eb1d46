import type { ComponentId, ComponentKind } from '../../model';
import type { ComponentRequest, OutputName, OutputsOf } from './contract';
import { ownershipTags } from '../aws/tags';

/** The AWS region the component lives in (its node says primary or secondary). */
export function regionOf(request: ComponentRequest<never>): string {
  return request.spec.regions[request.node.region].region;
}

/** The spec's tags plus the ownership tags that let retries, drift checks and tests find the resource. */
export function resourceTags(request: ComponentRequest<never>): Record<string, string> {
  return { ...request.spec.tags, ...ownershipTags(request.spec.name, request.node.id) };
}

/** The id of a sibling component in the same region: `network` or `secondary/network`. */
export function sameRegion<K extends ComponentKind>(
  request: ComponentRequest<never>,
  kind: K,
): Extract<ComponentId, K | `secondary/${K}`> {
  const id = request.node.region === 'primary' ? kind : `${request.node.region}/${kind}`;
  return id as Extract<ComponentId, K | `secondary/${K}`>;
}

/**
 * One output of a component this one depends on, typed by the outputs of its kind
 * (OutputsByKind): an id or an output name that does not exist does not compile. The value
 * comes as JSON from the workflow, and the dependency's stack may lack it (made by an older
 * version, or a field left empty): a clear error then.
 */
export function dependencyOutput<Id extends ComponentId, Name extends OutputName<Id>>(
  request: ComponentRequest<never>,
  componentId: Id,
  key: Name,
): Exclude<OutputsOf<Id>[Name], undefined> {
  const value = request.inputs[componentId]?.[key];
  if (value === undefined || value === '') {
    throw new Error(
      `${request.node.id} needs output '${key}' of component '${componentId}', which it did not get`,
    );
  }
  return value as Exclude<OutputsOf<Id>[Name], undefined>;
}

/** The ARN of a customer-managed key from the kms component of the given id (`key:<alias>`). */
export function kmsKeyArn(
  request: ComponentRequest<never>,
  kmsComponentId: 'kms' | 'secondary/kms',
  alias: string | undefined,
): string | undefined {
  return alias === undefined ? undefined : dependencyOutput(request, kmsComponentId, `key:${alias}`);
}

/** Secrets Manager name of a secret lp-infra generates for this component. */
export function secretName(request: ComponentRequest<never>, purpose: string): string {
  return `lp-infra/${request.spec.name}/${request.node.id}/${purpose}`;
}
