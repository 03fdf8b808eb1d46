/**
 * Recorded workflow histories for the replay (determinism) test. Each workflow family has a
 * fixture file in test/fixtures/histories/ with a few scenarios. The replay test records the
 * provisioning families itself; the time-skipping tests of the other families (drift, failover,
 * failback, the health monitor) record theirs when LP_INFRA_RECORD_HISTORIES=1. Rewrite them
 * only when a change is meant to be incompatible and no run in flight depends on the old code.
 * Files named `<family>-before-<patch>.json` hold histories recorded before a `patched()`
 * change; recording never rewrites them, so replay keeps proving the old runs still resume.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { projectRoot } from '../../src/infra/toolchain';

export const historyFixtures = path.join(projectRoot, 'test', 'fixtures', 'histories');
export const recordingHistories = process.env.LP_INFRA_RECORD_HISTORIES === '1';
const { History } = temporal.api.history.v1;

/** One workflow's history, as the server's protobuf bytes in base64 (what `temporal workflow show` reads back). */
export interface RecordedHistory {
  workflowId: string;
  history: string;
}
export interface HistoryFixture {
  family: string;
  scenario: string;
  workflows: RecordedHistory[];
}

export async function fetchHistories(client: Client, ids: string[]): Promise<RecordedHistory[]> {
  return Promise.all(
    ids.map(async (workflowId) => ({
      workflowId,
      history: Buffer.from(
        History.encode(await client.workflow.getHandle(workflowId).fetchHistory()).finish(),
      ).toString('base64'),
    })),
  );
}

export const decodeHistory = (recorded: RecordedHistory) => ({
  workflowId: recorded.workflowId,
  history: History.decode(Buffer.from(recorded.history, 'base64')),
});

const startedThisRun = new Set<string>();

/** Writes a scenario into its family's file; the first write of a test run starts the file afresh. */
export function saveHistoryFixture(fixture: HistoryFixture): void {
  const file = path.join(historyFixtures, `${fixture.family}.json`);
  const kept =
    startedThisRun.has(file) && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as HistoryFixture[])
      : [];
  startedThisRun.add(file);
  writeFileSync(file, `${JSON.stringify([...kept, fixture])}\n`);
}

/** When recording, fetches the runs' histories and saves them as a scenario of their family. */
export async function recordHistories(
  client: Client,
  family: string,
  scenario: string,
  workflowIds: string[],
): Promise<void> {
  if (!recordingHistories) return;
  saveHistoryFixture({ family, scenario, workflows: await fetchHistories(client, workflowIds) });
}

/** Every stored fixture, of every family. */
export function storedHistoryFixtures(): HistoryFixture[] {
  return readdirSync(historyFixtures)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap(
      (name) => JSON.parse(readFileSync(path.join(historyFixtures, name), 'utf8')) as HistoryFixture[],
    );
}
