/**
 * The component contract: what an activity hands a component driver (driver.ts) and what it
 * gets back. The drivers implement it and the activities and workflows use it, so it lives
 * with the drivers, below both (imports go one way, docs/architecture.md#layout).
 */
import type {
  ComponentId,
  ComponentKind,
  ComponentKindOf,
  ComponentNode,
  ComponentSpec,
  SpecWith,
} from '../../model';

/** One output: plain JSON data, since outputs cross the Temporal boundary (and sit in stacks). */
export type OutputValue = string | number | boolean | string[];

/**
 * Values a component hands to the components that depend on it: ids, ARNs, endpoints. Never
 * secret values. This is their form on the wire (workflow state, activity input); what each kind
 * hands is OutputsByKind.
 */
export type ComponentOutputs = Record<string, OutputValue>;

/** What an in-cluster component (mesh, app, monitoring) hands on: src/infra/kubernetes/component.ts. */
export type InClusterOutputs = {
  /** The API server of the region's cluster. */
  kubernetesApi: string;
  /** The rest are set by an apply; the outputs read back from the cluster for drift have kubernetesApi only. */
  namespaces?: string[];
  objects?: number;
  deployments?: string[];
  /** CustomResourceDefinitions that were there already, owned by someone else, left as they are. */
  definitionsLeftToTheirOwner?: string[];
};

/**
 * The outputs of each kind of component: its program's return value (a Pulumi stack's outputs;
 * the in-cluster kinds: src/infra/kubernetes/component.ts). A drift check reads the same ones back.
 * Every field is plain data (OutputValue). An empty string stands for "none" where a field is
 * always there (oidcProviderArn without OIDC, authTokenSecretArn without an AUTH token).
 */
export interface OutputsByKind {
  network: {
    vpcId: string;
    publicSubnetIds: string[];
    privateSubnetIds: string[];
    natGatewayIds: string[];
    clusterSecurityGroupId: string;
    databaseSecurityGroupId: string;
    cacheSecurityGroupId: string;
  };
  /** The ARN of each of the region's customer-managed keys, by `key:<alias>`. */
  kms: { [keyOfAlias: `key:${string}`]: string };
  cluster: {
    clusterName: string;
    clusterArn: string;
    endpoint: string;
    certificateAuthority: string;
    oidcProviderArn: string;
    nodeRoleArn: string;
    /** The network's, handed on for the node groups (which depend on the cluster only). */
    privateSubnetIds: string[];
    kubernetesVersion: string;
    nodeSecurityGroupId: string;
  };
  'node-groups': { nodeGroupNames: string[] };
  database: {
    clusterIdentifier: string;
    clusterArn: string;
    endpoint: string;
    readerEndpoint: string;
    port: number;
    masterSecretArn: string;
    globalClusterIdentifier: string;
    monitoringRoleArn: string;
  };
  'database-replica': {
    clusterIdentifier: string;
    clusterArn: string;
    endpoint: string;
    port: number;
    /** The primary's secret, replicated into this region: a global database shares its credentials. */
    masterSecretArn: string;
  };
  cache: {
    replicationGroupId: string;
    primaryEndpoint: string;
    readerEndpoint: string;
    port: number;
    authTokenSecretArn: string;
  };
  storage: { bucketName: string; bucketArn: string; bucketRegionalDomainName: string };
  certificate: { certificateArn: string };
  waf: { webAclArn: string };
  cdn: { distributionId: string; domainName: string };
  dns: { zoneId: string; zoneName: string; nameServers: string[] };
  'dns-failover': {
    zoneId: string;
    records: string[];
    failoverRecords: string[];
    primaryTarget: string;
    secondaryTarget: string;
    /** Only when a record has failover routing. */
    primaryHealthCheckId?: string;
    secondaryHealthCheckId?: string;
  };
  mesh: InClusterOutputs;
  /** gatewayHostname: the ingress gateway's external address, once its load balancer has one. */
  app: InClusterOutputs & { gatewayHostname?: string };
  monitoring: InClusterOutputs;
}

/** OutputsByKind held to what it says: every kind has its outputs, and they are plain data. */
type Checked<T extends Record<ComponentKind, Partial<ComponentOutputs>>> = T;

/** The outputs of the component of an id: `secondary/app` hands on what every app does. */
export type OutputsOf<Id extends ComponentId> = Checked<OutputsByKind>[ComponentKindOf<Id>];

/** The name of an output of the component of an id. */
export type OutputName<Id extends ComponentId> = keyof OutputsOf<Id> & string;

/**
 * Everything an activity needs to act on one component of one environment: of kind K, with
 * the part of the spec that kind reads (src/model/components.ts). `ComponentRequest<never>`
 * is a request of any kind, seen through the spec's common fields only.
 */
export interface ComponentRequest<K extends ComponentKind = ComponentKind> {
  spec: ComponentSpec<K>;
  node: ComponentNode;
  /** Outputs of the components this one depends on, by component id. */
  inputs: Record<string, ComponentOutputs>;
  /**
   * Plan with a full preview of what would change (a person is about to approve it).
   * Without, the plan only finds out whether the component exists: an engine preview
   * costs as much as the apply that follows it.
   */
  preview?: boolean;
  /**
   * Apply after reading every resource back, so that changes made outside lp-infra are undone
   * too (drift remediation). A plain apply compares with the recorded state only.
   */
  refresh?: boolean;
}

/** A request of any kind whose spec has the sections S: what a helper that reads S takes. */
export type RequestWith<S extends keyof ComponentSpec = never> = Omit<ComponentRequest<never>, 'spec'> & {
  spec: SpecWith<S>;
};

export interface ComponentRemoval<K extends ComponentKind = ComponentKind> extends ComponentRequest<K> {
  /** For a database: the final snapshot to take before deletion. */
  finalSnapshotName?: string;
}

export interface ChangeSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

export interface ComponentPlan {
  /** What the apply would change; absent when the plan was not a preview. */
  changes?: ChangeSummary;
  /** The component had resources before this run (then a failed run must not remove it). */
  existedBefore: boolean;
  /** Steps the local emulator cannot do; the production path does them (docs/emulation.md). */
  notEmulated: string[];
}

export interface ComponentApplied {
  outputs: ComponentOutputs;
  changes: ChangeSummary;
  notEmulated: string[];
  /** True when this run made the component from nothing: only then may compensation remove it. */
  createdByThisRun: boolean;
}

export interface ComponentReadiness {
  ready: boolean;
  detail: string;
}

/** What one apply returns: the outputs, what changed, and a first look at readiness. */
export interface ComponentApplyResult {
  outputs: ComponentOutputs;
  changes: ChangeSummary;
  /** Absent when the look failed (or for runs before it was taken): the workflow looks again. */
  readiness?: ComponentReadiness;
}
