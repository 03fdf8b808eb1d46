/**
 * Builders for the OpenAPI v3 schemas of CustomResourceDefinitions. The schemas written with them
 * are structural (every node has a type), as apiextensions.k8s.io/v1 requires. Objects keep fields
 * they do not list, so a resource written by the project that owns the API (Istio, the Prometheus
 * Operator) with fields beyond the ones lp-infra uses is stored intact.
 */

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export const string = (): Schema => ({ type: 'string' });
export const boolean = (): Schema => ({ type: 'boolean' });
export const stringEnum = (values: string[]): Schema => ({ type: 'string', enum: values });
export const array = (items: Schema): Schema => ({ type: 'array', items });
export const stringMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });
export const intOrString = (): Schema => ({ 'x-kubernetes-int-or-string': true });
export const quantityMap = (): Schema => ({ type: 'object', additionalProperties: intOrString() });

export function integer(minimum?: number, maximum?: number): Schema {
  return {
    type: 'integer',
    ...(minimum !== undefined ? { minimum } : {}),
    ...(maximum !== undefined ? { maximum } : {}),
  };
}

/** An object with the listed properties; it keeps any others. */
export function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  return {
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    'x-kubernetes-preserve-unknown-fields': true,
  };
}

/** Anything: status blocks written by the API's own controller. */
export const anyObject = (): Schema => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });

export const labelSelector = (): Schema =>
  object({
    matchLabels: stringMap(),
    matchExpressions: array(
      object({ key: string(), operator: string(), values: array(string()) }, ['key', 'operator']),
    ),
  });
