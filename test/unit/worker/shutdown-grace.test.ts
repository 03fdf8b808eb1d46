import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  DEFAULT_SHUTDOWN_GRACE_SECONDS,
  ENGINE_STOP_SECONDS,
  POD_TERMINATION_GRACE_SECONDS,
  parseGraceSeconds,
  shutdownGraceSeconds,
} from '../../../src/config/worker';
import { projectRoot } from '../../../src/infra/toolchain';

const deployment = parse(
  readFileSync(path.join(projectRoot, 'deploy', 'kubernetes', 'deployment.yaml'), 'utf8'),
) as { spec: { template: { spec: { terminationGracePeriodSeconds: number } } } };
const podGrace = deployment.spec.template.spec.terminationGracePeriodSeconds;

test("the worker's default grace fits in the pod's, with time for a cancelled engine run to stop", () => {
  expect(podGrace).toBe(POD_TERMINATION_GRACE_SECONDS);
  // After the grace a cancelled run gets ENGINE_STOP_SECONDS, and the process must exit
  // before the kubelet's SIGKILL, or the stack's lock stays behind.
  expect(DEFAULT_SHUTDOWN_GRACE_SECONDS + ENGINE_STOP_SECONDS + 5).toBeLessThanOrEqual(podGrace);
  // "A bit under": nearly all of the pod's time goes to letting applies finish.
  expect(DEFAULT_SHUTDOWN_GRACE_SECONDS).toBeGreaterThanOrEqual(podGrace * 0.8);
});

test('LP_INFRA_SHUTDOWN_GRACE_SECONDS sets the grace; unset or empty is the default; nonsense is refused', () => {
  expect(shutdownGraceSeconds({})).toBe(DEFAULT_SHUTDOWN_GRACE_SECONDS);
  expect(shutdownGraceSeconds({ LP_INFRA_SHUTDOWN_GRACE_SECONDS: '' })).toBe(DEFAULT_SHUTDOWN_GRACE_SECONDS);
  expect(shutdownGraceSeconds({ LP_INFRA_SHUTDOWN_GRACE_SECONDS: '45' })).toBe(45);
  expect(shutdownGraceSeconds({ LP_INFRA_SHUTDOWN_GRACE_SECONDS: '0' })).toBe(0);
  for (const bad of ['-1', '1.5', '5m', 'soon'])
    expect(() => parseGraceSeconds(bad, '--shutdown-grace')).toThrow(
      `--shutdown-grace: '${bad}' is not a whole number of seconds`,
    );
});
