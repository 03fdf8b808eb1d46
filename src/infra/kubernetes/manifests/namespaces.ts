import type { KubeObject } from '../objects';
import { kubeObject, type V1Namespace } from './typed';

export function namespace(name: string): KubeObject {
  return kubeObject<V1Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** The Namespaces the given objects live in, in order of first use. */
export function namespacesOf(objects: KubeObject[]): KubeObject[] {
  const names = [...new Set(objects.map((o) => o.metadata.namespace).filter((n): n is string => !!n))];
  return names.map(namespace);
}
