/** Model types of the Kubernetes API (types only), and the step from a typed literal to a KubeObject. */
import type { KubeObject } from '../objects';
import { compact } from './compact';

export type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1Namespace,
  V1Node,
  V1PersistentVolumeClaim,
  V1Probe,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1StorageClass,
  V2HorizontalPodAutoscaler,
  V2HPAScalingRules,
  V2MetricSpec,
} from '@kubernetes/client-node';

interface Typed {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}

/** A model-typed object with apiVersion, kind and name set, as a plain KubeObject without undefined fields. */
export function kubeObject<T extends Typed>(object: T & { apiVersion: string; kind: string }): KubeObject {
  if (!object.metadata?.name) throw new Error(`a ${object.kind} needs a name`);
  return compact(object) as unknown as KubeObject;
}
