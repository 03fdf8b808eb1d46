/** The pure parts of disaster recovery: the step runner, the monitor's threshold, Route 53's failover answer. */
import { failoverAnswer } from '../../../src/disaster-recovery/answers';
import { afterProbe, initialState, type MonitorState } from '../../../src/disaster-recovery/health';
import { newResult, runSaga, sagaMarkdown, type SagaStep } from '../../../src/disaster-recovery/saga';

describe('runSaga', () => {
  const base = {
    environment: 'local',
    direction: 'failover' as const,
    from: 'primary' as const,
    to: 'secondary' as const,
    rtoObjectiveSeconds: 900,
    rpoObjectiveSeconds: 60,
  };
  function steps(log: string[], failAt?: string, undoFails?: string): SagaStep[] {
    return ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      title: `step ${id}`,
      endsOutage: id === 'c',
      run: async () => {
        log.push(`run ${id}`);
        if (id === failAt) throw new Error(`${id} broke`);
        return { detail: `${id} done`, ...(id === 'a' ? { lagSeconds: 3, notEmulated: ['x'] } : {}) };
      },
      compensate: async () => {
        log.push(`undo ${id}`);
        if (id === undoFails) throw new Error(`undo ${id} broke`);
      },
    }));
  }
  let clock = 0;
  const now = () => (clock += 1000);

  test('runs every step in order; RTO is measured to the step that ends the outage', async () => {
    const log: string[] = [];
    const list = steps(log);
    const result = await runSaga(list, newResult(base, list, now()), now, () => {});
    expect(log).toEqual(['run a', 'run b', 'run c', 'run d']);
    expect(result.status).toBe('succeeded');
    expect(result.steps.map((s) => s.seconds)).toEqual([1, 1, 1, 1]);
    expect(result.rtoSeconds).toBe(6); // start, then two clock reads per step up to the end of c
    expect(result.rpoSeconds).toBe(3);
    expect(result.notEmulated).toEqual(['x']);
    expect(sagaMarkdown(result)).toContain('| step c | done | 1.0 s | c done |');
  });

  test('a failed step undoes the finished ones in reverse, even when one undo fails', async () => {
    const log: string[] = [];
    const list = steps(log, 'c', 'a');
    const result = newResult(base, list, now());
    await expect(runSaga(list, result, now, () => {})).rejects.toThrow('c broke');
    expect(log).toEqual(['run a', 'run b', 'run c', 'undo b', 'undo a']);
    expect(result.steps.map((s) => s.status)).toEqual([
      'compensation-failed',
      'compensated',
      'failed',
      'skipped',
    ]);
    expect(result.leftOver).toEqual(['step a: undo a broke']);
    expect(result.rtoSeconds).toBeUndefined();
    expect(sagaMarkdown(result)).toContain('Left to finish by hand');
  });
});

describe('health policy', () => {
  const probe = (healthy: boolean) => ({ at: 0, healthy, checks: [] });
  const feed = (state: MonitorState, outcomes: boolean[]) => {
    const triggers: number[] = [];
    outcomes.forEach((ok, i) => {
      const next = afterProbe(state, probe(ok));
      state = next.state;
      if (next.failover) triggers.push(i);
    });
    return { state, triggers };
  };

  test('flapping below the threshold never triggers', () => {
    const { triggers, state } = feed(initialState('local', 3, 30), [
      false,
      false,
      true,
      false,
      false,
      true,
      false,
    ]);
    expect(triggers).toEqual([]);
    expect(state.consecutiveFailures).toBe(1);
  });

  test('the Nth consecutive failure triggers; a paused monitor does not', () => {
    expect(feed(initialState('local', 3, 30), [true, false, false, false]).triggers).toEqual([3]);
    const paused = { ...initialState('local', 3, 30), status: 'paused' as const };
    expect(feed(paused, [false, false, false, false]).triggers).toEqual([]);
  });
});

describe('failoverAnswer', () => {
  const records = [
    { failover: 'PRIMARY' as const, value: 'east', healthCheckId: 'p' },
    { failover: 'SECONDARY' as const, value: 'west', healthCheckId: 's' },
  ];
  const check = (observedHealthy: boolean, inverted = false, disabled = false) => ({
    observedHealthy,
    inverted,
    disabled,
  });

  test.each([
    ['both healthy', { p: check(true), s: check(true) }, 'east'],
    ['primary unhealthy', { p: check(false), s: check(true) }, 'west'],
    ['primary inverted (manual failover)', { p: check(true, true), s: check(true) }, 'west'],
    ['primary disabled counts as healthy', { p: check(false, false, true), s: check(true) }, 'east'],
    ['both unhealthy: Route 53 answers the primary', { p: check(false), s: check(false) }, 'east'],
  ])('%s', (_name, checks, value) => {
    expect(failoverAnswer(records, checks)?.value).toBe(value);
  });
});
