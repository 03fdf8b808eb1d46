/** Field differences for drift, and rollout readiness, on plain objects. */
import type { KubeApi } from '../../../src/infra/kubernetes/api';
import { fieldDifferences, objectDifference } from '../../../src/infra/kubernetes/diff';
import type { KubeObject } from '../../../src/infra/kubernetes/objects';
import { conditionsReadiness, deploymentRollout } from '../../../src/infra/kubernetes/rollout';

test('field differences name the path with list indexes, and what is missing on either side', () => {
  const live = { spec: { replicas: 3, containers: [{ image: 'a:1', ports: [1] }], extra: true } };
  const desired = { spec: { replicas: 5, containers: [{ image: 'a:2', ports: [1, 2] }] } };
  expect(fieldDifferences(live, desired)).toEqual([
    { path: 'spec.containers[0].image', live: 'a:1', desired: 'a:2' },
    { path: 'spec.containers[0].ports[1]', desired: 2 },
    { path: 'spec.extra', live: true },
    { path: 'spec.replicas', live: 3, desired: 5 },
  ]);
  expect(fieldDifferences(desired, structuredClone(desired))).toEqual([]);
});

test('status written by a controller between the read and the dry run is not drift; the spec is', async () => {
  const object = (replicas: number, status: object): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api-gateway', namespace: 'production', resourceVersion: '7' },
    spec: { replicas },
    status,
  });
  // The read sees a rollout under way; by the dry run the controller has moved on.
  const answers = (live: KubeObject, wouldBe: KubeObject) =>
    ({ get: async () => live, apply: async () => wouldBe }) as unknown as KubeApi;
  const reading = object(5, { replicas: 5, unavailableReplicas: 1 });
  const later = object(5, { replicas: 5, availableReplicas: 5 });
  expect(await objectDifference(answers(reading, later), later)).toBeUndefined();
  expect(await objectDifference(answers(object(0, {}), later), later)).toEqual({
    object: 'Deployment production/api-gateway',
    change: 'changed',
    fields: [{ path: 'spec.replicas', live: 0, desired: 5 }],
  });
});

const deployment = (status: object, generation = 2) => ({
  metadata: { generation },
  spec: { replicas: 5 },
  status,
});

test.each([
  [
    { observedGeneration: 1, replicas: 5, updatedReplicas: 5, availableReplicas: 5 },
    'waiting for the controller',
  ],
  [
    { observedGeneration: 2, replicas: 7, updatedReplicas: 3, availableReplicas: 4 },
    '3 of 5 replicas updated',
  ],
  [
    { observedGeneration: 2, replicas: 7, updatedReplicas: 5, availableReplicas: 5 },
    '2 old replicas terminating',
  ],
  [
    { observedGeneration: 2, replicas: 5, updatedReplicas: 5, availableReplicas: 4 },
    '4 of 5 replicas available',
  ],
])('a Deployment is not rolled out while %j', (status, detail) => {
  expect(deploymentRollout(deployment(status))).toEqual({
    ready: false,
    detail: expect.stringContaining(detail),
  });
});

test('a Deployment is rolled out when observed, updated and available', () => {
  const status = { observedGeneration: 2, replicas: 5, updatedReplicas: 5, availableReplicas: 5 };
  expect(deploymentRollout(deployment(status))).toEqual({ ready: true, detail: '5/5 available' });
});

test('a resource with an Available condition waits for it; one without a controller is ready when stored', () => {
  const prometheus = (conditions?: object[]) => ({
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: { name: 'prometheus' },
    ...(conditions ? { status: { conditions } } : {}),
  });
  expect(conditionsReadiness(prometheus()).ready).toBe(true);
  expect(
    conditionsReadiness(prometheus([{ type: 'Available', status: 'False', message: '0/4 ready' }])),
  ).toEqual({
    ready: false,
    detail: 'not available: 0/4 ready',
  });
  expect(conditionsReadiness(prometheus([{ type: 'Available', status: 'True' }])).ready).toBe(true);
});
