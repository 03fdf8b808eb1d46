/**
 * Server-side apply of a component's manifest, prune of what it owned and no longer asks for,
 * and removal of everything it owns.
 */
import type { SpecWith } from '../../model';
import { isConflict, type KubeApi } from './api';
import { ownedKinds, type ComponentManifest } from './manifests/component';
import {
  fieldManager,
  managedByLabel,
  objectKey,
  objectName,
  ownershipSelector,
  type ClusterComponentKind,
  type KubeObject,
} from './objects';

export type ApplyAction = 'created' | 'updated' | 'unchanged';

export interface ApplyResult {
  applied: { object: string; action: ApplyAction }[];
  pruned: string[];
  /** Definitions left alone because the API's own installation (Istio, the operator) owns them. */
  foreignDefinitions: string[];
}

export interface Heartbeat {
  heartbeat(detail: string): void;
}

const definitionTimeoutMs = 30_000;

async function pause(ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until the API server serves the kind a CustomResourceDefinition defines. */
async function waitServed(api: KubeApi, definition: KubeObject): Promise<void> {
  const spec = definition.spec as { group: string; names: { kind: string }; versions: { name: string }[] };
  const deadline = Date.now() + definitionTimeoutMs;
  for (const version of spec.versions) {
    while (!(await api.serves(`${spec.group}/${version.name}`, spec.names.kind))) {
      if (Date.now() > deadline) throw new Error(`${objectName(definition)} was not established within 30 s`);
      await pause(200);
    }
  }
}

/** True when lp-infra may write the definition: it is absent, or lp-infra installed it. */
export function ownsDefinition(live: KubeObject | undefined): boolean {
  return !live || live.metadata.labels?.[managedByLabel] === fieldManager;
}

/** Installs the definitions the cluster lacks; returns those some other installation owns. */
export async function applyDefinitions(api: KubeApi, definitions: KubeObject[]): Promise<string[]> {
  const foreign: string[] = [];
  for (const definition of definitions) {
    if (!ownsDefinition(await api.get(definition))) {
      foreign.push(definition.metadata.name);
      continue;
    }
    await api.apply(definition);
    await waitServed(api, definition);
  }
  return foreign;
}

/** Creates the namespaces that do not exist; an existing one is left as it is. */
export async function ensureNamespaces(api: KubeApi, namespaces: KubeObject[]): Promise<void> {
  for (const namespace of namespaces) {
    if (await api.get(namespace)) continue;
    try {
      await api.create(namespace);
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

async function applyObject(api: KubeApi, object: KubeObject): Promise<ApplyAction> {
  const before = await api.get(object);
  const after = await api.apply(object);
  if (!before) return 'created';
  return before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'updated';
}

/** The objects a component owns on the cluster, found by its ownership labels. */
export async function ownedObjects(
  api: KubeApi,
  spec: SpecWith,
  component: ClusterComponentKind,
): Promise<KubeObject[]> {
  const selector = ownershipSelector(spec, component);
  const found: KubeObject[] = [];
  for (const { apiVersion, kind } of ownedKinds[component]) {
    found.push(...(await api.list(apiVersion, kind, { labelSelector: selector })));
  }
  return found;
}

export async function applyManifest(
  api: KubeApi,
  spec: SpecWith,
  component: ClusterComponentKind,
  manifest: ComponentManifest,
  progress: Heartbeat,
): Promise<ApplyResult> {
  const foreignDefinitions = await applyDefinitions(api, manifest.definitions);
  await ensureNamespaces(api, manifest.namespaces);
  const applied: ApplyResult['applied'] = [];
  for (const object of manifest.objects) {
    applied.push({ object: objectName(object), action: await applyObject(api, object) });
    progress.heartbeat(`applied ${objectName(object)}`);
  }
  const wanted = new Set(manifest.objects.map(objectKey));
  const pruned: string[] = [];
  for (const object of await ownedObjects(api, spec, component)) {
    if (wanted.has(objectKey(object))) continue;
    if (await api.remove(object)) pruned.push(objectName(object));
  }
  return { applied, pruned, foreignDefinitions };
}

/**
 * Deletes every object the component owns and waits until they are gone (a claim, for one, stays
 * until the pods that mount it are gone). Namespaces and definitions stay: see ComponentManifest.
 */
export async function removeOwned(
  api: KubeApi,
  spec: SpecWith,
  component: ClusterComponentKind,
  progress: Heartbeat,
  timeoutMs = 300_000,
): Promise<string[]> {
  const removed: string[] = [];
  for (const object of await ownedObjects(api, spec, component)) {
    if (await api.remove(object)) removed.push(objectName(object));
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await ownedObjects(api, spec, component);
    if (left.length === 0) return removed;
    if (Date.now() > deadline) {
      throw new Error(`still being deleted after ${timeoutMs / 1000} s: ${left.map(objectName).join(', ')}`);
    }
    progress.heartbeat(`waiting for ${left.length} object(s) to go: ${left.map(objectName).join(', ')}`);
    await pause(500);
  }
}
