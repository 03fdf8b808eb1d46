import type * as pulumi from '@pulumi/pulumi';
import type { OpMap } from '@pulumi/pulumi/automation';
import type { ComponentKind } from '../../model';
import type {
  ChangeSummary,
  ComponentOutputs,
  ComponentRemoval,
  ComponentRequest,
  ComponentReadiness,
  OutputsByKind,
} from './contract';
import { pulumiFindings, type StepEvent } from './drift-findings';
import {
  destroyStack,
  previewStack,
  stackOutputs,
  stackResourceCount,
  upStack,
  type RunOptions,
  type StackTarget,
} from '../pulumi';
import type { ComponentDriver, Progress } from './driver';

/** What the program of a kind returns: the kind's outputs (OutputsByKind), each a value or a Pulumi Output of one. */
export type ProgramOutputs<K extends ComponentKind> = {
  [Name in keyof OutputsByKind[K]]: pulumi.Input<OutputsByKind[K][Name]>;
};

export interface PulumiComponent<K extends ComponentKind> {
  /** Declares the component's resources (an ordinary function, run by the Pulumi engine); returns its outputs. */
  program: (request: ComponentRequest<K>) => ProgramOutputs<K> | Promise<ProgramOutputs<K>>;
  /** Steps the local emulator cannot do (listed in docs/emulation.md); the production path does them. */
  notEmulated?: (request: ComponentRequest<K>) => string[];
  /** Is it serving? With the outputs its apply returned. */
  ready?: (request: ComponentRequest<K>, outputs: OutputsByKind[K]) => Promise<ComponentReadiness>;
  /** Runs before the stack is destroyed (a final snapshot, for one). */
  beforeDestroy?: (request: ComponentRemoval<K>) => Promise<void>;
}

/** The Pulumi stack of a component: `<env>-<component>` in project lp-infra. */
export function stackName(request: ComponentRequest<never>): string {
  return `${request.spec.name}-${request.node.id.replace(/\//g, '-')}`;
}

function target<K extends ComponentKind>(
  request: ComponentRequest<K>,
  component: PulumiComponent<K>,
): StackTarget {
  return { project: 'lp-infra', stack: stackName(request), program: async () => component.program(request) };
}

function runOptions(progress: Progress): RunOptions {
  return {
    signal: progress.signal,
    stopSignal: progress.stopSignal,
    onEvent: (event) => {
      const step = event.resourcePreEvent?.metadata ?? event.resOutputsEvent?.metadata;
      if (step) progress.heartbeat(`${step.op} ${step.type.split('/').pop()} ${step.urn.split('::').pop()}`);
    },
  };
}

export function changeSummary(ops: OpMap): ChangeSummary {
  return {
    create: ops.create ?? 0,
    update: ops.update ?? 0,
    replace: ops.replace ?? 0,
    delete: ops.delete ?? 0,
    same: ops.same ?? 0,
  };
}

/**
 * A component whose resources are a Pulumi stack of dynamic resources over the cloud SDK. Its
 * program returns the outputs of kind K; they come back from the engine as JSON.
 */
export function pulumiDriver<K extends ComponentKind>(component: PulumiComponent<K>): ComponentDriver<K> {
  return {
    async plan(request, progress) {
      const notEmulated = request.spec.emulated ? (component.notEmulated?.(request) ?? []) : [];
      if (!request.preview) {
        // Only whether it exists: the stack holds resources besides the stack itself.
        const existedBefore = (await stackResourceCount(target(request, component))) > 1;
        return { existedBefore, notEmulated };
      }
      const summary = await previewStack(target(request, component), runOptions(progress));
      const changes = changeSummary(summary.changes);
      return {
        changes,
        existedBefore: changes.same + changes.update + changes.replace + changes.delete > 0,
        notEmulated,
      };
    },
    async apply(request, progress) {
      const summary = await upStack(target(request, component), {
        ...runOptions(progress),
        refresh: request.refresh,
      });
      return { outputs: summary.outputs as ComponentOutputs, changes: changeSummary(summary.changes) };
    },
    async ready(request, outputs) {
      return component.ready
        ? component.ready(request, outputs as OutputsByKind[K])
        : { ready: true, detail: 'applied' };
    },
    async destroy(request, progress) {
      await component.beforeDestroy?.(request);
      await destroyStack(target(request, component), { ...runOptions(progress), remove: true });
    },
    async outputs(request) {
      return (await stackOutputs(target(request, component))) as ComponentOutputs | undefined;
    },
    /** A refresh preview: each handler's read sees the cloud, then the diff against the program. */
    async drift(request, _outputs, progress) {
      if (!(await stackOutputs(target(request, component)))) return { findings: [], absent: true };
      const steps: StepEvent[] = [];
      const options = runOptions(progress);
      await previewStack(target(request, component), {
        ...options,
        refresh: true,
        onEvent: (event) => {
          options.onEvent?.(event);
          const step = event.resourcePreEvent?.metadata;
          if (step) steps.push(step as StepEvent);
        },
      });
      return { findings: pulumiFindings(request.node.id, steps), absent: false };
    },
  };
}
