import {
  ApplicationFailure,
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import {
  newResult,
  runSaga,
  sagaMarkdown,
  type Direction,
  type SagaResult,
  type SagaStep,
  type StepStatus,
} from '../disaster-recovery/saga';
import type { EnvironmentSpec, RegionRole } from '../model';
import { recordRecovery } from './metrics';
import { ProgressBoard, type Phase } from './progress';
import { runSpec } from './run-spec';
import { LpAction, LpEnvironment } from './search-attributes';
import { waitUntil } from './wait';

const act = proxyActivities<typeof activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2s', maximumInterval: '30s', maximumAttempts: 5 },
});

export interface FailoverInput {
  spec: EnvironmentSpec;
  /** Planned (a drill): the primary is healthy, a switchover loses nothing. Default: unplanned. */
  planned?: boolean;
  reason?: string;
}

/** The run's steps, durations, RTO and RPO as they are now. */
export const disasterRecoveryQuery = defineQuery<SagaResult>('disasterRecovery');

const phases: Record<StepStatus, Phase> = {
  pending: 'pending',
  running: 'applying',
  done: 'succeeded',
  failed: 'failed',
  compensating: 'removing',
  compensated: 'removed',
  'compensation-failed': 'failed',
  skipped: 'skipped',
};

const waitFor = (
  what: string,
  check: () => Promise<{ ready: boolean; detail: string }>,
  timeout = '30 minutes',
) => waitUntil(what, check, { initialInterval: '2s', maxInterval: '30s', timeout });

/** Moving the service from one region to the other; each step with its undo. */
function moveSteps(spec: EnvironmentSpec, from: RegionRole, to: RegionRole, planned: boolean): SagaStep[] {
  const move = { spec, from, to, planned };
  return [
    { id: 'preconditions', title: 'check preconditions', run: () => act.checkPreconditions(move) },
    {
      id: 'fence',
      title: `fence ${from}`,
      run: () => act.setRegionState({ spec, region: from, state: 'fenced' }),
      compensate: () => act.setRegionState({ spec, region: from, state: 'active' }),
    },
    {
      id: 'promote-database',
      title: `promote the ${to} database`,
      run: async () => {
        const outcome = await act.moveDatabaseWriter(move);
        await waitFor(`writer in ${to}`, () => act.databaseWriterIs({ spec, region: to }));
        return outcome;
      },
      compensate: async () => {
        await act.moveDatabaseWriter({ spec, from: to, to: from, planned: true });
        await waitFor(`writer in ${from}`, () => act.databaseWriterIs({ spec, region: from }));
      },
    },
    {
      id: 'scale',
      title: `scale ${to} node groups to the primary's sizes`,
      run: async () => {
        const outcome = await act.scaleRegionNodeGroups({ spec, region: to, state: 'active' });
        await waitFor(`${to} node groups`, () =>
          act.regionNodeGroupsAt({ spec, region: to, state: 'active' }),
        );
        return outcome;
      },
      compensate: () => act.scaleRegionNodeGroups({ spec, region: to, state: 'standby' }),
    },
    {
      id: 'repoint',
      title: `point ${to} applications at their writer`,
      run: () => act.setRegionState({ spec, region: to, state: 'active' }),
      compensate: () => act.setRegionState({ spec, region: to, state: 'standby' }),
    },
    {
      id: 'switch-dns',
      title: `switch DNS to ${to}`,
      run: () => act.switchDns({ spec, active: to }),
      compensate: () => act.switchDns({ spec, active: from }),
    },
    {
      id: 'verify',
      title: 'verify end to end',
      endsOutage: true,
      run: async () => waitFor(`${to} serving`, () => act.verifyRegion({ spec, region: to }), '10 minutes'),
    },
  ];
}

/** Failback only: the old primary replicates from the writer again before anything moves. */
const replicationStep = (spec: EnvironmentSpec, to: RegionRole): SagaStep => ({
  id: 'replication',
  title: `replication towards ${to}`,
  run: () =>
    waitFor(`replication towards ${to}`, () => act.replicationTowards({ spec, region: to }), '2 hours'),
});

/** Failback only: the secondary goes back to standby capacity. */
const standbyStep = (spec: EnvironmentSpec, region: RegionRole): SagaStep => ({
  id: 'standby',
  title: `return ${region} to standby`,
  run: async () => {
    await act.setRegionState({ spec, region, state: 'standby' });
    return act.scaleRegionNodeGroups({ spec, region, state: 'standby' });
  },
});

async function runMove(spec: EnvironmentSpec, direction: Direction, planned: boolean): Promise<SagaResult> {
  const [from, to]: RegionRole[] =
    direction === 'failover' ? ['primary', 'secondary'] : ['secondary', 'primary'];
  upsertSearchAttributes([
    { key: LpEnvironment, value: spec.name },
    { key: LpAction, value: direction },
  ]);
  const steps =
    direction === 'failover'
      ? moveSteps(spec, from, to, planned)
      : [replicationStep(spec, to), ...moveSteps(spec, from, to, planned), standbyStep(spec, from)];
  const board = new ProgressBoard(spec.name, direction).list(steps.map((s) => s.id));
  const dr = spec.disasterRecovery;
  const result = newResult(
    {
      environment: spec.name,
      direction,
      from,
      to,
      rtoObjectiveSeconds: dr.rtoMinutes * 60,
      rpoObjectiveSeconds: dr.rpoSeconds,
    },
    steps,
    Date.now(),
  );
  setHandler(disasterRecoveryQuery, () => result);
  const publish = (r: SagaResult) => {
    for (const step of r.steps) board.set(step.id, phases[step.status], step.detail);
    if (r.status !== 'running') board.finish(r.status === 'compensating' ? 'compensating' : r.status);
    setCurrentDetails(sagaMarkdown(r));
  };
  try {
    return recordRecovery(await runSaga(steps, result, () => Date.now(), publish), planned);
  } catch {
    const refused = result.steps.find((s) => s.id === 'preconditions')?.status === 'failed';
    throw ApplicationFailure.nonRetryable(
      `${direction} ${spec.name} ${refused ? 'refused' : 'failed'}: ${result.error}${result.leftOver.length ? `; left to finish by hand: ${result.leftOver.join('; ')}` : '; finished steps undone'}`,
      refused ? 'PreconditionFailed' : 'FailoverFailed',
      result,
    );
  }
}

/**
 * Moves the environment to its secondary region as a saga (workflow id failover/<env>, so never
 * two at once): preconditions, fence the primary, promote the secondary database, scale the
 * secondary, re-point its applications, switch DNS, verify. A failed step undoes the finished
 * ones in reverse. The result has each step's duration, the measured RTO and the RPO estimate.
 */
export async function failover(input: FailoverInput): Promise<SagaResult> {
  return runMove(runSpec(input.spec, 'failover'), 'failover', input.planned ?? false);
}

/**
 * Back to the primary region once it is healthy (workflow id failback/<env>): waits until the
 * old primary replicates again, then the same steps the other way as a planned switchover, and
 * the secondary returns to standby.
 */
export async function failback(input: { spec: EnvironmentSpec }): Promise<SagaResult> {
  return runMove(runSpec(input.spec, 'failback'), 'failback', true);
}
