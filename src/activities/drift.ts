import { ApplicationFailure, Context } from '@temporalio/activity';
import { componentCheck, type ComponentCheck } from '../drift/report';
import { driverFor, isComponentKind } from '../infra/components';
import { componentGraph, componentSpec, type EnvironmentSpec } from '../model';
import type { ComponentOutputs, ComponentRequest } from '../infra/components/contract';
import { classify } from './errors';

/** At most this many stacks are read at once (each read starts the Pulumi CLI). */
const outputReads = 4;

/**
 * The outputs each component's last apply recorded, by component id: what a drift check of a
 * dependent needs to declare its resources as an apply would. Components with none are left out.
 */
export async function readComponentOutputs(input: {
  spec: EnvironmentSpec;
  components?: string[];
}): Promise<Record<string, ComponentOutputs>> {
  const context = Context.current();
  const nodes = componentGraph(input.spec).filter(
    (node) => !input.components || input.components.includes(node.id),
  );
  const found: Record<string, ComponentOutputs> = {};
  const queue = [...nodes];
  const reader = async () => {
    for (let node = queue.shift(); node; node = queue.shift()) {
      const read = driverFor(node.kind).outputs;
      if (!read) continue;
      context.heartbeat(`outputs of ${node.id}`);
      try {
        const outputs = await read({ spec: componentSpec(input.spec, node.kind), node, inputs: {} });
        if (outputs) found[node.id] = outputs;
      } catch (err) {
        classify(err, `read outputs of ${input.spec.name}/${node.id}`);
      }
    }
  };
  await Promise.all(Array.from({ length: outputReads }, reader));
  return found;
}

/**
 * One component's drift, read-only: a Pulumi refresh preview of its stack, or the
 * server-side-apply dry-run diff of its objects. Heartbeats while the engine works.
 */
export async function checkComponentDrift(
  request: ComponentRequest & { outputs: ComponentOutputs },
): Promise<ComponentCheck> {
  const context = Context.current();
  // The request is JSON from a workflow's input: its kind may be one lp-infra does not know.
  const kind: string = request.node.kind;
  const drift = isComponentKind(kind) ? driverFor(kind).drift : undefined;
  if (!drift) {
    throw ApplicationFailure.nonRetryable(
      `lp-infra cannot check components of kind '${kind}' for drift yet`,
      'UnsupportedComponent',
    );
  }
  const started = Date.now();
  try {
    const result = await drift(request, request.outputs, {
      heartbeat: (detail) => context.heartbeat(detail),
      signal: context.cancellationSignal,
    });
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    return componentCheck(request.node.id, result.findings, { absent: result.absent, seconds });
  } catch (err) {
    return classify(err, `drift check of ${request.spec.name}/${request.node.id}`);
  }
}
