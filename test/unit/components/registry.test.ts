/**
 * The driver registry is total over ComponentKind (a kind without a driver does not compile),
 * but a request reaches an activity as JSON from a workflow's input: a kind lp-infra does not
 * know must still fail at once, with a message that names it, and never be retried.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { applyComponent, planComponent } from '../../../src/activities/components';
import { checkComponentDrift } from '../../../src/activities/drift';
import { drivers, isComponentKind } from '../../../src/infra/components';
import type { ComponentRequest } from '../../../src/infra/components/contract';
import { componentGraph, type ComponentKind } from '../../../src/model';
import { validReference } from '../model/helpers';

const failureOf = (run: Promise<unknown>) => run.then(() => undefined).catch((e: unknown) => e);

function requestOfKind(kind: string): ComponentRequest {
  const spec = validReference();
  const [node] = componentGraph(spec);
  return { spec, node: { ...node, id: 'teleporter', kind: kind as ComponentKind }, inputs: {} };
}

test('every component of the reference is a known kind whose driver plans, applies, checks, removes, reads drift and outputs', () => {
  const steps = ['plan', 'apply', 'ready', 'destroy', 'drift', 'outputs'] as const;
  for (const { kind } of componentGraph(validReference())) {
    expect([kind, isComponentKind(kind)]).toEqual([kind, true]);
    expect([kind, steps.map((step) => typeof drivers[kind][step])]).toEqual([
      kind,
      steps.map(() => 'function'),
    ]);
  }
});

test('a kind that is no component kind, nor a property of every object, is not known', () => {
  expect(isComponentKind('teleporter')).toBe(false);
  expect(isComponentKind('toString')).toBe(false);
  expect(isComponentKind('')).toBe(false);
});

test.each([
  ['plan', () => planComponent(requestOfKind('teleporter')), "cannot build components of kind 'teleporter'"],
  [
    'apply',
    () => applyComponent(requestOfKind('teleporter')),
    "cannot build components of kind 'teleporter'",
  ],
])('%s of an unknown kind fails at once, naming it', async (_step, run, message) => {
  const failure = await failureOf(new MockActivityEnvironment().run(run));
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'UnsupportedComponent', nonRetryable: true });
  expect((failure as Error).message).toContain(message);
});

test('a drift check of an unknown kind fails at once, naming it', async () => {
  const failure = await failureOf(
    new MockActivityEnvironment().run(checkComponentDrift, { ...requestOfKind('toString'), outputs: {} }),
  );
  expect(failure).toMatchObject({ type: 'UnsupportedComponent', nonRetryable: true });
  expect((failure as Error).message).toContain("cannot check components of kind 'toString' for drift");
});
