/**
 * kwok's configuration for the local clusters: its Stages, which say how simulated Nodes, Pods and
 * volume claims move through their lifecycle. The Stages are kwok's own "fast" stages (kwok v0.8.0,
 * kustomize/stage/node/fast, node/heartbeat-with-lease, pod/fast, volume/fast; Apache-2.0), with
 * their status templates in kwok's Go template format: a Node becomes Ready at once and keeps a
 * lease, a Pod bound to a Node becomes Running and Ready at once and goes when deleted, a claim of
 * the kwok-volume class is bound to a volume made for it.
 */
import { stringify } from 'yaml';

/** The default StorageClass of the local clusters; kwok binds its claims. */
export const localStorageClass = 'kwok-volume';

const stage = (
  name: string,
  resourceRef: { apiGroup: string; kind: string },
  spec: Record<string, unknown>,
) => ({
  apiVersion: 'kwok.x-k8s.io/v1alpha1',
  kind: 'Stage',
  metadata: { name },
  spec: { resourceRef, ...spec },
});

const node = { apiGroup: 'v1', kind: 'Node' };
const pod = { apiGroup: 'v1', kind: 'Pod' };
const claim = { apiGroup: 'v1', kind: 'PersistentVolumeClaim' };
const volume = { apiGroup: 'v1', kind: 'PersistentVolume' };
const readyStatus = '.status.conditions.[] | select( .type == "Ready" ) | .status';
const cel = (expression: string) => ({ cel: { expression } });
const ofLocalClass = cel(`self.spec.storageClassName == '${localStorageClass}'`);

const nodeConditions = `{{ $now := Now }}
{{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
conditions:
{{ range NodeConditions }}
- lastHeartbeatTime: {{ $now | Quote }}
  lastTransitionTime: {{ $lastTransitionTime | Quote }}
  message: {{ .message | Quote }}
  reason: {{ .reason | Quote }}
  status: {{ .status | Quote }}
  type: {{ .type | Quote }}
{{ end }}
`;

const nodeInitialize = stage('node-initialize', node, {
  selector: { matchExpressions: [{ key: readyStatus, operator: 'NotIn', values: ['True'] }] },
  next: {
    statusTemplate: `${nodeConditions}
addresses:
{{ with NodeIP }}
- address: {{ . | Quote }}
  type: InternalIP
{{ end }}
{{ with NodeName }}
- address: {{ . | Quote }}
  type: Hostname
{{ end }}
allocatable:
{{ with .status.allocatable }}
{{ YAML . 1 }}
{{ else }}
  cpu: 1k
  memory: 1Ti
  pods: 1M
{{ end }}
capacity:
{{ with .status.capacity }}
{{ YAML . 1 }}
{{ else }}
  cpu: 1k
  memory: 1Ti
  pods: 1M
{{ end }}
{{ $kwokVersion := printf "kwok-%s" Version }}
nodeInfo:
  architecture: amd64
  bootID: ""
  containerRuntimeVersion: {{ $kwokVersion }}
  kernelVersion: {{ $kwokVersion }}
  kubeProxyVersion: {{ $kwokVersion }}
  kubeletVersion: {{ $kwokVersion }}
  machineID: ""
  operatingSystem: linux
  osImage: ""
  systemUUID: ""
phase: Running
`,
  },
});

const nodeHeartbeat = stage('node-heartbeat-with-lease', node, {
  selector: {
    matchExpressions: [
      { key: '.status.phase', operator: 'In', values: ['Running'] },
      { key: readyStatus, operator: 'In', values: ['True'] },
    ],
  },
  delay: { durationMilliseconds: 600000, jitterDurationMilliseconds: 610000 },
  next: { statusTemplate: nodeConditions },
});

const podReady = stage('pod-ready', pod, {
  selector: {
    matchExpressions: [
      { key: '.metadata.deletionTimestamp', operator: 'DoesNotExist' },
      { key: '.status.phase', operator: 'In', values: ['Pending'] },
      { key: readyStatus, operator: 'NotIn', values: ['True'] },
    ],
  },
  next: {
    statusTemplate: `{{ $now := Now }}
conditions:
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Initialized
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: Ready
- lastTransitionTime: {{ $now | Quote }}
  status: "True"
  type: ContainersReady
containerStatuses:
{{ range .spec.containers }}
- image: {{ .image | Quote }}
  name: {{ .name | Quote }}
  ready: true
  restartCount: 0
  started: true
  state:
    running:
      startedAt: {{ $now | Quote }}
{{ end }}
{{ with NodeIPsWith .spec.nodeName }}
hostIP: {{ index . 0 | Quote }}
{{ end }}
{{ with PodIPsWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
podIP: {{ index . 0 | Quote }}
{{ end }}
phase: Running
startTime: {{ $now | Quote }}
`,
  },
});

const podDelete = stage('pod-delete', pod, {
  selector: { matchExpressions: [{ key: '.metadata.deletionTimestamp', operator: 'Exists' }] },
  next: { delete: true },
});

const claimProvision = stage('pvc-provision', claim, {
  selector: {
    matchExpressions: [
      ofLocalClass,
      cel('!has(self.metadata.deletionTimestamp)'),
      cel('!has(self.spec.volumeName)'),
      cel("self.status.phase != 'Bound'"),
    ],
  },
  steps: [
    {
      apply: {
        template: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: pvc-{{ .metadata.uid }}
  annotations:
    pv.kubernetes.io/provisioned-by: kwok.x-k8s.io/volume
spec:
  accessModes:
  {{ YAML .spec.accessModes 2 }}
  capacity:
  {{ YAML .spec.resources.requests 2 }}
  persistentVolumeReclaimPolicy: Delete
  storageClassName: {{ .spec.storageClassName | Quote }}
  volumeMode: {{ default "Filesystem" .spec.volumeMode | Quote }}
  claimRef:
    apiVersion: {{ .apiVersion | Quote }}
    kind: {{ .kind | Quote }}
    name: {{ .metadata.name | Quote }}
    namespace: {{ .metadata.namespace | Quote }}
    resourceVersion: {{ .metadata.resourceVersion | Quote }}
    uid: {{ .metadata.uid | Quote }}
  hostPath:
    path: /tmp/kwok-volume/pvc-{{ .metadata.uid }}
    type: DirectoryOrCreate
`,
      },
    },
    {
      patch: {
        root: 'metadata',
        template: `annotations:
  pv.kubernetes.io/bind-completed: "yes"
  pv.kubernetes.io/bound-by-controller: "yes"
  volume.kubernetes.io/storage-provisioner: kwok.x-k8s.io/volume
`,
      },
    },
    { patch: { root: 'spec', template: 'volumeName: pvc-{{ .metadata.uid }}\n' } },
    {
      patch: {
        root: 'status',
        subresource: 'status',
        template: `phase: Bound
accessModes:
{{ YAML .spec.accessModes 1 }}
capacity:
{{ YAML .spec.resources.requests 1 }}
`,
      },
    },
  ],
});

const volumeBind = stage('pv-bind', volume, {
  selector: {
    matchExpressions: [
      ofLocalClass,
      cel('!has(self.metadata.deletionTimestamp)'),
      cel('has(self.spec.claimRef.name)'),
      cel("!(self.status.phase in ['Bound', 'Released', 'Failed'])"),
    ],
  },
  steps: [{ patch: { root: 'status', subresource: 'status', template: 'phase: Bound\n' } }],
});

const claimDelete = stage('pvc-delete', claim, {
  selector: {
    matchExpressions: [
      ofLocalClass,
      cel('has(self.metadata.deletionTimestamp)'),
      cel('has(self.spec.volumeName)'),
    ],
  },
  steps: [
    {
      apply: {
        subresource: 'status',
        type: 'merge',
        template: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: {{ .spec.volumeName | Quote }}
status:
  phase: Released
`,
      },
    },
  ],
});

const volumeDelete = stage('pv-delete', volume, {
  selector: {
    matchExpressions: [
      ofLocalClass,
      cel('!has(self.metadata.deletionTimestamp)'),
      cel("self.spec.persistentVolumeReclaimPolicy == 'Delete'"),
      cel("self.status.phase == 'Released'"),
    ],
  },
  steps: [{ delete: true }],
});

export const kwokStages = [
  nodeInitialize,
  nodeHeartbeat,
  podReady,
  podDelete,
  claimProvision,
  volumeBind,
  claimDelete,
  volumeDelete,
];

/** kwok's --config file: its Stages, one YAML document each. */
export function kwokConfigFile(): string {
  return kwokStages.map((s) => stringify(s)).join('---\n');
}

/** The StorageClass kwok provisions for, made the cluster's default. */
export const localStorageClassObject = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name: localStorageClass,
    annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
  },
  provisioner: 'kwok.x-k8s.io/volume',
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'Immediate',
};
