/**
 * The components of an environment and what each needs first. Data, not code: the DAG,
 * the plan and the workflows all read this table. Pure TypeScript, safe in workflow code.
 */
import type { EnvironmentSpec, SpecSection } from './schema';

export type ComponentKind =
  | 'network'
  | 'kms'
  | 'cluster'
  | 'node-groups'
  | 'database'
  | 'database-replica'
  | 'cache'
  | 'storage'
  | 'certificate'
  | 'waf'
  | 'cdn'
  | 'dns'
  | 'dns-failover'
  | 'mesh'
  | 'app'
  | 'monitoring';

export type RegionRole = 'primary' | 'secondary';

export interface ComponentTemplate {
  readonly id: string;
  readonly kind: ComponentKind;
  readonly region: RegionRole;
  readonly title: string;
  readonly dependsOn: readonly string[];
  /** The spec section the component is built from (its `notes` travel with the component). */
  readonly section: SpecSection;
  /** Omitted when false; whatever depended on it then depends on its own dependencies. */
  readonly presentWhen?: (spec: EnvironmentSpec) => boolean;
}

const hasKeysIn = (region: RegionRole) => (spec: EnvironmentSpec) =>
  spec.kms.keys.some((key) => key.region === region);

const templates = [
  {
    id: 'network',
    kind: 'network',
    region: 'primary',
    section: 'network',
    dependsOn: [],
    title: 'VPC, subnets, NAT gateways',
  },
  {
    id: 'kms',
    kind: 'kms',
    region: 'primary',
    section: 'kms',
    dependsOn: [],
    title: 'KMS keys',
    presentWhen: hasKeysIn('primary'),
  },
  {
    id: 'cluster',
    kind: 'cluster',
    region: 'primary',
    section: 'cluster',
    dependsOn: ['network'],
    title: 'EKS control plane, OIDC, add-ons',
  },
  {
    id: 'node-groups',
    kind: 'node-groups',
    region: 'primary',
    section: 'cluster',
    dependsOn: ['cluster'],
    title: 'EKS managed node groups',
  },
  {
    id: 'database',
    kind: 'database',
    region: 'primary',
    section: 'database',
    dependsOn: ['network', 'kms'],
    title: 'Aurora PostgreSQL cluster',
  },
  {
    id: 'cache',
    kind: 'cache',
    region: 'primary',
    section: 'cache',
    dependsOn: ['network', 'kms'],
    title: 'ElastiCache Redis replication group',
  },
  {
    id: 'storage',
    kind: 'storage',
    region: 'primary',
    section: 'storage',
    dependsOn: ['kms'],
    title: 'S3 assets bucket',
  },
  { id: 'dns', kind: 'dns', region: 'primary', section: 'dns', dependsOn: [], title: 'Route 53 hosted zone' },
  {
    id: 'certificate',
    kind: 'certificate',
    region: 'primary',
    section: 'cdn',
    dependsOn: ['dns'],
    title: 'ACM certificate, DNS-validated',
  },
  {
    id: 'waf',
    kind: 'waf',
    region: 'primary',
    section: 'cdn',
    dependsOn: [],
    title: 'WAF web ACL (CloudFront scope)',
  },
  {
    id: 'cdn',
    kind: 'cdn',
    region: 'primary',
    section: 'cdn',
    dependsOn: ['storage', 'certificate', 'waf'],
    title: 'CloudFront distribution',
  },
  {
    id: 'mesh',
    kind: 'mesh',
    region: 'primary',
    section: 'mesh',
    dependsOn: ['node-groups'],
    title: 'Istio gateway, routes, destination rules',
  },
  {
    id: 'monitoring',
    kind: 'monitoring',
    region: 'primary',
    section: 'monitoring',
    dependsOn: ['node-groups'],
    title: 'Prometheus and Grafana',
  },
  {
    id: 'app',
    kind: 'app',
    region: 'primary',
    section: 'applications',
    dependsOn: ['mesh', 'database', 'cache'],
    title: 'Deployments, HPAs, Services',
  },
  {
    id: 'secondary/network',
    kind: 'network',
    region: 'secondary',
    section: 'regions',
    dependsOn: [],
    title: 'VPC, subnets, NAT gateways',
  },
  {
    id: 'secondary/kms',
    kind: 'kms',
    region: 'secondary',
    section: 'kms',
    dependsOn: [],
    title: 'KMS keys',
    presentWhen: hasKeysIn('secondary'),
  },
  {
    id: 'secondary/cluster',
    kind: 'cluster',
    region: 'secondary',
    section: 'regions',
    dependsOn: ['secondary/network'],
    title: 'standby EKS control plane',
  },
  {
    id: 'secondary/node-groups',
    kind: 'node-groups',
    region: 'secondary',
    section: 'regions',
    dependsOn: ['secondary/cluster'],
    title: 'standby node groups',
  },
  {
    id: 'secondary/database-replica',
    kind: 'database-replica',
    region: 'secondary',
    section: 'database',
    dependsOn: ['database', 'secondary/network', 'secondary/kms'],
    title: 'Aurora global database secondary cluster',
    presentWhen: (spec) => spec.database.crossRegionReplica !== undefined,
  },
  {
    id: 'secondary/cache',
    kind: 'cache',
    region: 'secondary',
    section: 'regions',
    dependsOn: ['secondary/network'],
    title: 'ElastiCache Redis replication group',
  },
  {
    id: 'secondary/mesh',
    kind: 'mesh',
    region: 'secondary',
    section: 'mesh',
    dependsOn: ['secondary/node-groups'],
    title: 'Istio gateway, routes, destination rules',
  },
  {
    id: 'secondary/app',
    kind: 'app',
    region: 'secondary',
    section: 'applications',
    dependsOn: ['secondary/mesh', 'secondary/database-replica', 'secondary/cache'],
    title: 'standby Deployments, HPAs, Services',
  },
  {
    id: 'dns-failover',
    kind: 'dns-failover',
    region: 'primary',
    section: 'dns',
    dependsOn: ['dns', 'app', 'secondary/app', 'cdn'],
    title: 'Route 53 records, failover routing, health checks',
  },
] as const satisfies readonly ComponentTemplate[];

export const componentTemplates: readonly ComponentTemplate[] = templates;

type Template = (typeof templates)[number];

/** The id of a component: `network`, `secondary/network`, `dns-failover`, one of the table's. */
export type ComponentId = Template['id'];

/** The kind of the component of an id (`secondary/app`: `app`), as the table says. */
export type ComponentKindOf<Id extends ComponentId> = Extract<Template, { id: Id }>['kind'];

/** The parts of the spec every component reads: its name, its tags, its clouds and regions. */
export const commonSpecFields = ['name', 'environment', 'emulated', 'regions', 'tags'] as const;

/**
 * The spec sections each kind of component reads besides the common fields. A component's
 * request carries only these (its workflow's input and history stay small); the types hold
 * the drivers to it, so a driver that reads another section does not compile.
 */
const inClusterSections = [
  'cluster',
  'mesh',
  'applications',
  'monitoring',
  'database',
  'cache',
  'dns',
] as const;

export const specSectionsByKind = {
  network: ['network', 'cluster', 'database', 'cache'],
  kms: ['kms'],
  cluster: ['cluster', 'cache'],
  'node-groups': ['cluster'],
  database: ['database'],
  'database-replica': ['database'],
  cache: ['cache'],
  storage: ['storage'],
  certificate: ['cdn'],
  waf: ['cdn'],
  cdn: ['cdn'],
  dns: ['dns'],
  'dns-failover': ['dns'],
  // One driver applies every in-cluster kind (server-side apply), so they read one list.
  mesh: inClusterSections,
  app: inClusterSections,
  monitoring: inClusterSections,
} as const satisfies Record<ComponentKind, readonly SpecSection[]>;

/** The spec's common fields and the sections S: what a function that reads S needs. */
export type SpecWith<S extends SpecSection = never> = Pick<
  EnvironmentSpec,
  (typeof commonSpecFields)[number] | S
>;

/** The part of the spec a component of kind K is handed: the common fields and its kind's sections. */
export type ComponentSpec<K extends ComponentKind = ComponentKind> = SpecWith<
  (typeof specSectionsByKind)[K][number]
>;

/** Cuts the part a component of `kind` reads out of a validated spec. */
export function componentSpec<K extends ComponentKind>(spec: EnvironmentSpec, kind: K): ComponentSpec<K> {
  const fields: readonly SpecSection[] = [...commonSpecFields, ...specSectionsByKind[kind]];
  return Object.fromEntries(fields.filter((f) => f in spec).map((f) => [f, spec[f]])) as ComponentSpec<K>;
}
