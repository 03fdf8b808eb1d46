/** What each in-cluster component puts on a cluster, and the definitions it brings. */
import { componentManifest, ownedKinds } from '../../../src/infra/kubernetes/manifests/component';
import { istioCrds } from '../../../src/infra/kubernetes/manifests/crds/istio';
import { prometheusOperatorCrds } from '../../../src/infra/kubernetes/manifests/crds/prometheus-operator';
import type { Schema } from '../../../src/infra/kubernetes/manifests/crds/schema';
import { componentLabel, environmentLabel, managedByLabel } from '../../../src/infra/kubernetes/objects';
import { referenceSpec } from './helpers';

const spec = referenceSpec();

test.each(['mesh', 'app', 'monitoring'] as const)(
  'every object of %s carries the ownership labels',
  (kind) => {
    const manifest = componentManifest(spec, kind, 'primary');
    expect(manifest.objects.length).toBeGreaterThan(0);
    for (const object of manifest.objects) {
      expect(object.metadata.labels).toMatchObject({
        [managedByLabel]: 'lp-infra',
        [environmentLabel]: 'reference',
        [componentLabel]: kind,
      });
      expect(ownedKinds[kind]).toContainEqual({ apiVersion: object.apiVersion, kind: object.kind });
    }
  },
);

test('namespaces come from the objects; definitions from the custom resources used', () => {
  const names = (kind: 'mesh' | 'app' | 'monitoring') => {
    const m = componentManifest(spec, kind, 'primary');
    return {
      namespaces: m.namespaces.map((n) => n.metadata.name),
      definitions: m.definitions.map((d) => d.metadata.name),
    };
  };
  expect(names('mesh')).toEqual({
    namespaces: ['istio-system'],
    definitions: [
      'gateways.networking.istio.io',
      'virtualservices.networking.istio.io',
      'destinationrules.networking.istio.io',
    ],
  });
  expect(names('app')).toEqual({ namespaces: ['production'], definitions: [] });
  expect(names('monitoring')).toEqual({
    namespaces: ['monitoring'],
    definitions: ['prometheuses.monitoring.coreos.com', 'servicemonitors.monitoring.coreos.com'],
  });
});

test('Secrets made inside the activity join the app manifest, and live replicas are honoured', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'database-secret', namespace: 'production' },
  };
  const manifest = componentManifest(spec, 'app', 'primary', {
    secrets: [secret],
    liveReplicas: { 'production/api-gateway': 12 },
  });
  expect(manifest.objects[0].metadata.name).toBe('database-secret');
  const deployment = manifest.objects.find((o) => o.kind === 'Deployment')!;
  expect((deployment.spec as { replicas: number }).replicas).toBe(12);
});

/** Structural schema: every node says its type (or is int-or-string). */
function unstructured(schema: Schema, path: string): string[] {
  const here = schema.type || schema['x-kubernetes-int-or-string'] ? [] : [path];
  const inner = [
    ...Object.entries(schema.properties ?? {}).flatMap(([key, value]) =>
      unstructured(value, `${path}.${key}`),
    ),
    ...(schema.items ? unstructured(schema.items, `${path}[]`) : []),
    ...(schema.additionalProperties ? unstructured(schema.additionalProperties, `${path}{}`) : []),
  ];
  return [...here, ...inner];
}

test.each([...istioCrds, ...prometheusOperatorCrds].map((crd) => [crd.metadata.name, crd] as const))(
  'the definition of %s is structural and names its source',
  (_name, crd) => {
    const spec = crd.spec as { versions: { schema: { openAPIV3Schema: Schema }; storage: boolean }[] };
    expect(spec.versions.filter((v) => v.storage)).toHaveLength(1);
    for (const version of spec.versions) expect(unstructured(version.schema.openAPIV3Schema, '')).toEqual([]);
    expect(crd.metadata.annotations?.['infra.lp-system.com/schema-source']).toBeTruthy();
  },
);
