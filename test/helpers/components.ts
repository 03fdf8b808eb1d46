/**
 * Runs component drivers the way the activities do, against moto and a Pulumi file
 * backend in a temporary folder that the test owns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { applyComponent } from '../../src/activities/components';
import type { ChangeSummary, ComponentOutputs, ComponentRequest } from '../../src/infra/components/contract';
import { driverFor } from '../../src/infra/components';
import type { ComponentDriver, Progress } from '../../src/infra/components/driver';
import { componentGraph, loadSpecFile, type EnvironmentSpec } from '../../src/model';
import { projectRoot } from '../../src/infra/toolchain';
import { startMoto, type Moto } from './servers';

export const silentProgress: Progress = { heartbeat: () => {} };

export function localSpec(overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return { ...loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml')), ...overrides };
}

export function requestFor(
  spec: EnvironmentSpec,
  id: string,
  inputs: Record<string, ComponentOutputs> = {},
): ComponentRequest {
  const node = componentGraph(spec).find((n) => n.id === id);
  if (!node) throw new Error(`no component '${id}' in spec ${spec.name}`);
  // Tests look at what a plan would change, as a person approving it does.
  return { spec, node, inputs, preview: true };
}

/** How many resources a plan or apply changes (creates, updates, replaces, deletes). */
export function changeCount(changes: ChangeSummary | undefined): number {
  if (!changes) throw new Error('the plan was not a preview: it says nothing of changes');
  return changes.create + changes.update + changes.replace + changes.delete;
}

/** What the applyComponent activity fails with, as the worker runs it; undefined when it succeeds. */
export function applyFailure(request: ComponentRequest): Promise<unknown> {
  return new MockActivityEnvironment()
    .run(applyComponent, request)
    .then(() => undefined)
    .catch((e: unknown) => e);
}

export function driver(request: ComponentRequest): ComponentDriver {
  return driverFor(request.node.kind);
}

export interface CloudFixture {
  moto: Moto;
  stop(): Promise<void>;
}

/** moto plus a private Pulumi backend; sets the environment the drivers read. */
export async function startCloud(): Promise<CloudFixture> {
  const moto = await startMoto();
  const backend = mkdtempSync(path.join(tmpdir(), 'lp-infra-backend-'));
  const saved = { endpoint: process.env.LP_INFRA_AWS_ENDPOINT, backend: process.env.LP_INFRA_PULUMI_BACKEND };
  process.env.LP_INFRA_AWS_ENDPOINT = moto.endpoint;
  process.env.LP_INFRA_PULUMI_BACKEND = backend;
  return {
    moto,
    async stop() {
      restore('LP_INFRA_AWS_ENDPOINT', saved.endpoint);
      restore('LP_INFRA_PULUMI_BACKEND', saved.backend);
      rmSync(backend, { recursive: true, force: true });
      await moto.stop();
    },
  };
}

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
