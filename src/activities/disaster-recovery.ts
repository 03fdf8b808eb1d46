/**
 * The steps of failover and failback, and the health probe of the primary region. Each is an
 * idempotent plain function over one environment: it sets an absolute state (a region active,
 * standby or fenced; the writer in a region; the answered region), so a retry or a second
 * compensation does no harm. Nothing secret is returned.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import type { ProbeCheck, ProbeResult } from '../disaster-recovery/health';
import type { StepOutcome } from '../disaster-recovery/saga';
import { awsClient } from '../infra/aws/clients';
import {
  applicationsServing,
  nodeGroupsAt,
  readRegionRole,
  regionApi,
  scaleApplications,
  scaleNodeGroups,
  writeRegionRole,
  type RegionState,
} from '../infra/disaster-recovery/cluster';
import {
  clusterHealth,
  emulated,
  globalRoles,
  moveWriter,
  replicationLagSeconds,
  writerIs,
} from '../infra/disaster-recovery/database';
import { failoverAnswers, primaryGatewayHealth, setActiveRegion } from '../infra/disaster-recovery/dns';
import { clusterTarget } from '../infra/kubernetes/kubeconfig';
import type { EnvironmentSpec, RegionRole } from '../model';

export interface RegionRequest {
  spec: EnvironmentSpec;
  region: RegionRole;
}

export interface MoveRequest {
  spec: EnvironmentSpec;
  from: RegionRole;
  to: RegionRole;
  /** Planned (drill, failback): the old primary is healthy, no data may be lost. */
  planned: boolean;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
const lagText = (lag: number | undefined) => (lag === undefined ? 'unknown' : `${lag} s`);
const lagNotEmulated = 'replication lag (the emulator publishes no AuroraGlobalDBReplicationLag metric)';

async function eksStatus(spec: EnvironmentSpec, region: RegionRole): Promise<string> {
  const target = clusterTarget(spec, region);
  const { cluster } = await awsClient(EKSClient, target.region).send(
    new DescribeClusterCommand({ name: target.clusterName }),
  );
  return cluster?.status ?? 'missing';
}

/** A check that failed to run counts as failed, with the error as its detail. */
async function check(name: string, run: () => Promise<{ ok: boolean; detail: string }>): Promise<ProbeCheck> {
  try {
    return { name, ...(await run()) };
  } catch (err) {
    return { name, ok: false, detail: message(err) };
  }
}

/** The application's health endpoint through its public name, when the worker can reach it. */
async function appHealth(spec: EnvironmentSpec): Promise<{ ok: boolean; detail: string }> {
  const name = spec.dns.records.find((r) => r.routing === 'failover')?.name;
  const { protocol, path = '/', port } = spec.dns.healthCheck;
  if (!name || protocol === 'TCP' || spec.emulated)
    return { ok: true, detail: 'not reachable from the worker: skipped' };
  const url = `${protocol.toLowerCase()}://${name}:${port}${path}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { ok: response.ok, detail: `${url}: HTTP ${response.status}` };
}

/** One probe of the primary region: database, Kubernetes control plane, Route 53's view, the app. */
export async function probePrimary(spec: EnvironmentSpec): Promise<ProbeResult> {
  const checks = await Promise.all([
    check('database', async () => {
      const db = await clusterHealth(spec, 'primary');
      return { ok: db.status === 'available', detail: `${db.identifier} is ${db.status}` };
    }),
    check('cluster endpoint', async () => {
      const status = await eksStatus(spec, 'primary');
      const api = await regionApi(spec, 'primary');
      await api.list('v1', 'Namespace');
      return {
        ok: status === 'ACTIVE',
        detail: `${clusterTarget(spec, 'primary').clusterName} is ${status}, API answers`,
      };
    }),
    check('route53 health check', async () => {
      const gateway = await primaryGatewayHealth(spec);
      return { ok: gateway.healthy, detail: gateway.detail };
    }),
    check('app health', () => appHealth(spec)),
  ]);
  return { at: Date.now(), healthy: checks.every((c) => c.ok), checks };
}

function refuse(reason: string): never {
  throw ApplicationFailure.nonRetryable(reason, 'PreconditionFailed');
}

/**
 * Before moving: the target's database, EKS cluster and node groups are there and healthy,
 * both clusters belong to the global database, and the target's replication lag is within
 * the RPO. A failure refuses the move (non-retryable) and changes nothing.
 */
export async function checkPreconditions(request: MoveRequest): Promise<StepOutcome> {
  const { spec, to } = request;
  const db = await clusterHealth(spec, to);
  if (db.status !== 'available') refuse(`database ${db.identifier} in the ${to} region is ${db.status}`);
  const eks = await eksStatus(spec, to);
  if (eks !== 'ACTIVE') refuse(`EKS cluster ${clusterTarget(spec, to).clusterName} is ${eks}`);
  const roles = await globalRoles(spec);
  if (!roles.members.some((m) => m.role === to))
    refuse(`${db.identifier} is not a member of global database ${roles.globalClusterIdentifier}`);
  const lag = await replicationLagSeconds(spec, to);
  const notEmulated: string[] = [];
  if (lag === undefined) {
    if (!emulated(spec))
      refuse(`no replication lag reported for ${db.identifier}: cannot bound the data loss`);
    notEmulated.push(lagNotEmulated);
  } else if (lag > spec.disasterRecovery.rpoSeconds) {
    refuse(
      `replication lag ${lag} s of ${db.identifier} exceeds the RPO of ${spec.disasterRecovery.rpoSeconds} s`,
    );
  }
  return {
    detail: `${db.identifier} available, ${clusterTarget(spec, to).clusterName} ACTIVE, lag ${lagText(lag)}`,
    lagSeconds: request.planned ? 0 : (lag ?? 0),
    notEmulated,
  };
}

/** The region's role for its applications and its replicas; a region that cannot be reached is left as it is. */
export async function setRegionState(request: RegionRequest & { state: RegionState }): Promise<StepOutcome> {
  const { spec, region, state } = request;
  let api;
  try {
    api = await regionApi(spec, region);
    await api.list('v1', 'Namespace');
  } catch (err) {
    if (state !== 'fenced') throw err;
    return { detail: `the ${region} cluster cannot be reached (${message(err)}): fenced by the outage` };
  }
  const writer = (await clusterHealth(spec, region)).endpoint ?? '';
  const scaled = await scaleApplications(api, spec, region, state);
  const namespaces = await writeRegionRole(api, spec, region, state, writer);
  return {
    detail: `${region} ${state}: ${scaled.length ? `replicas ${scaled.join(', ')}` : 'replicas unchanged'}; role in ${namespaces.join(', ')}`,
  };
}

/** Moves the database writer to `to` (a switchover when planned, else a failover accepting the lag). */
export async function moveDatabaseWriter(request: MoveRequest): Promise<StepOutcome> {
  const moved = await moveWriter(request.spec, request.to, request.planned);
  return {
    detail: moved.started
      ? `${request.planned ? 'switchover' : 'failover'} of the global database to ${request.to} started`
      : moved.notEmulated
        ? `writer stays as it is on the emulated cloud`
        : `the ${request.to} cluster writes already`,
    notEmulated: moved.notEmulated ? [moved.notEmulated] : [],
  };
}

export async function databaseWriterIs(request: RegionRequest) {
  return writerIs(request.spec, request.region);
}

/** Node groups of the region at the sizes of the state (active: the primary's). */
export async function scaleRegionNodeGroups(
  request: RegionRequest & { state: 'active' | 'standby' },
): Promise<StepOutcome> {
  return { detail: await scaleNodeGroups(request.spec, request.region, request.state) };
}

export async function regionNodeGroupsAt(request: RegionRequest & { state: 'active' | 'standby' }) {
  return nodeGroupsAt(request.spec, request.region, request.state);
}

/** Makes `active` the region the public names answer with. */
export async function switchDns(request: {
  spec: EnvironmentSpec;
  active: RegionRole;
}): Promise<StepOutcome> {
  const before = await setActiveRegion(request.spec, request.active);
  const answers = await failoverAnswers(request.spec);
  return {
    detail: `${before} → ${request.active}: ${Object.entries(answers)
      .map(([name, a]) => `${name} → ${a.value}`)
      .join(', ')}`,
  };
}

/** End to end: names answer with the region, its database writes, its applications run at full size as active. */
export async function verifyRegion(request: RegionRequest): Promise<{ ready: boolean; detail: string }> {
  const { spec, region } = request;
  const answers = await failoverAnswers(spec);
  const wrong = Object.entries(answers).filter(([, a]) => a.region !== region);
  if (wrong.length)
    return { ready: false, detail: `${wrong.map(([n, a]) => `${n} answers ${a.region}`).join(', ')}` };
  const writer = await writerIs(spec, region);
  if (!writer.ready) return writer;
  const api = await regionApi(spec, region);
  const role = await readRegionRole(api, spec);
  if (role?.LP_REGION_ROLE !== 'active')
    return {
      ready: false,
      detail: `applications of ${region} are ${role?.LP_REGION_ROLE ?? 'without a role'}`,
    };
  const serving = await applicationsServing(api, spec, region);
  if (!serving.ready) return serving;
  return { ready: true, detail: `names answer ${region}; ${writer.detail}; ${serving.detail}` };
}

/**
 * Failback's first step: the old primary's cluster is back, a member of the global database
 * (after a managed failover Aurora rebuilds it as a secondary), and caught up within the RPO.
 */
export async function replicationTowards(
  request: RegionRequest,
): Promise<{ ready: boolean; detail: string }> {
  const { spec, region } = request;
  const db = await clusterHealth(spec, region);
  if (db.status !== 'available') return { ready: false, detail: `${db.identifier} is ${db.status}` };
  const roles = await globalRoles(spec);
  if (!roles.members.some((m) => m.role === region))
    return {
      ready: false,
      detail: `${db.identifier} is not (yet) a member of ${roles.globalClusterIdentifier}`,
    };
  const lag = await replicationLagSeconds(spec, region);
  if (lag !== undefined && lag > spec.disasterRecovery.rpoSeconds)
    return { ready: false, detail: `lag ${lag} s above the RPO of ${spec.disasterRecovery.rpoSeconds} s` };
  return {
    ready: true,
    detail: `${db.identifier} replicates from the writer, lag ${lagText(lag)}`,
  };
}
