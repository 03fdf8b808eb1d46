import { proxyActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type * as activities from '../activities';
import { LpAction, LpEnvironment } from './search-attributes';

const { describeCloud } = proxyActivities<typeof activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5 },
});

export interface PlatformCheckInput {
  environment: string;
  regions: string[];
}

/** Asks every region of an environment who and where it is, in parallel. */
export async function platformCheck(input: PlatformCheckInput): Promise<activities.CloudDescription[]> {
  upsertSearchAttributes([
    { key: LpEnvironment, value: input.environment },
    { key: LpAction, value: 'check' },
  ]);
  return Promise.all(input.regions.map((region) => describeCloud(region)));
}
