/**
 * Drift of a component's objects: what a server-side apply would change, found without writing.
 * Each object the manifest asks for is applied as a dry run; the server's answer (what the object
 * would become) is compared field by field with the live object. Objects the component owns that
 * the manifest no longer lists are reported too. Secret values never appear in a difference.
 */
import type { SpecWith } from '../../model';
import type { KubeApi } from './api';
import { ownedObjects } from './apply';
import type { ComponentManifest } from './manifests/component';
import { objectKey, objectName, type ClusterComponentKind, type KubeObject } from './objects';

export interface FieldDifference {
  /** Dotted path, with list indexes: spec.template.spec.containers[0].resources.limits.memory */
  path: string;
  live?: unknown;
  desired?: unknown;
}

export interface ObjectDifference {
  object: string;
  /** missing: asked for, absent. changed: fields differ. extra: owned, no longer asked for. */
  change: 'missing' | 'changed' | 'extra';
  fields: FieldDifference[];
}

/** Fields the server rewrites on every write; they say nothing about drift. */
const volatileMetadata = ['managedFields', 'resourceVersion', 'generation'];
const redacted = '(secret value)';

/**
 * The object without what its controllers write: `status` (replica counts, conditions) moves
 * between the read and the dry run while a rollout goes on, and is never in a manifest.
 */
function comparable(object: KubeObject): Record<string, unknown> {
  const metadata = Object.fromEntries(
    Object.entries(object.metadata).filter(([key]) => !volatileMetadata.includes(key)),
  );
  const { status: _status, ...rest } = object as KubeObject & { status?: unknown };
  return { ...rest, metadata };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field differences between two JSON values, deepest first-differing paths only. */
export function fieldDifferences(live: unknown, desired: unknown, path = ''): FieldDifference[] {
  if (Array.isArray(live) && Array.isArray(desired)) {
    const length = Math.max(live.length, desired.length);
    return Array.from({ length }, (_, i) => fieldDifferences(live[i], desired[i], `${path}[${i}]`)).flat();
  }
  if (isRecord(live) && isRecord(desired)) {
    const keys = [...new Set([...Object.keys(live), ...Object.keys(desired)])].sort();
    return keys.flatMap((key) => fieldDifferences(live[key], desired[key], path ? `${path}.${key}` : key));
  }
  if (JSON.stringify(live) === JSON.stringify(desired)) return [];
  return [{ path, ...(live !== undefined ? { live } : {}), ...(desired !== undefined ? { desired } : {}) }];
}

function hideSecretValues(object: KubeObject, fields: FieldDifference[]): FieldDifference[] {
  if (object.kind !== 'Secret') return fields;
  return fields.map((field) =>
    /^(data|stringData)\b/.test(field.path)
      ? {
          path: field.path,
          ...(field.live !== undefined ? { live: redacted } : {}),
          ...(field.desired !== undefined ? { desired: redacted } : {}),
        }
      : field,
  );
}

export async function objectDifference(
  api: KubeApi,
  desired: KubeObject,
): Promise<ObjectDifference | undefined> {
  const live = await api.get(desired);
  if (!live) return { object: objectName(desired), change: 'missing', fields: [] };
  const wouldBe = await api.apply(desired, { dryRun: true });
  const fields = hideSecretValues(desired, fieldDifferences(comparable(live), comparable(wouldBe)));
  return fields.length ? { object: objectName(desired), change: 'changed', fields } : undefined;
}

/** Every difference between the cluster and the manifest; empty when there is no drift. */
export async function diffManifest(
  api: KubeApi,
  spec: SpecWith,
  component: ClusterComponentKind,
  manifest: ComponentManifest,
): Promise<ObjectDifference[]> {
  const differences: ObjectDifference[] = [];
  for (const object of manifest.objects) {
    const difference = await objectDifference(api, object);
    if (difference) differences.push(difference);
  }
  const wanted = new Set(manifest.objects.map(objectKey));
  for (const object of await ownedObjects(api, spec, component)) {
    if (!wanted.has(objectKey(object)))
      differences.push({ object: objectName(object), change: 'extra', fields: [] });
  }
  return differences;
}
