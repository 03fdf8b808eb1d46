// The workflow of the overhead figure, bundled on its own (not part of lp-infra's workflows).
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** Runs `count` no-op activities one after the other. */
export async function noopChain(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await noop();
}
