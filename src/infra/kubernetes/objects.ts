/** The shape every Kubernetes object shares, and the labels that mark what lp-infra owns. */
import type { ComponentKind, SpecWith } from '../../model';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The server-side apply field manager of every object lp-infra writes. */
export const fieldManager = 'lp-infra';

export const managedByLabel = 'app.kubernetes.io/managed-by';
export const environmentLabel = 'infra.lp-system.com/environment';
export const componentLabel = 'infra.lp-system.com/component';

export type ClusterComponentKind = Extract<ComponentKind, 'mesh' | 'app' | 'monitoring'>;

/** Labels on every object a component owns: prune and destroy find its objects by them. */
export function ownershipLabels(spec: SpecWith, component: ClusterComponentKind): Record<string, string> {
  return { [managedByLabel]: fieldManager, [environmentLabel]: spec.name, [componentLabel]: component };
}

export function ownershipSelector(spec: SpecWith, component: ClusterComponentKind): string {
  return Object.entries(ownershipLabels(spec, component))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** `apps/v1 Deployment production/api-gateway`: unique within a cluster. */
export function objectKey(object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const { namespace, name } = object.metadata;
  return `${object.apiVersion} ${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** `Deployment production/api-gateway`, for messages. */
export function objectName(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

export function withLabels<T extends KubeObject>(object: T, labels: Record<string, string>): T {
  return { ...object, metadata: { ...object.metadata, labels: { ...object.metadata.labels, ...labels } } };
}
