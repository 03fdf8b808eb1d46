/**
 * Walks a dependency graph inside a workflow: every node starts as soon as all of
 * its dependencies are done, so independent parts run at once and the whole takes
 * as long as its slowest dependency chain. Deterministic: it only chains promises.
 */
export interface GraphNode {
  id: string;
  dependsOn: string[];
}

export interface GraphRun<R> {
  done: Map<string, R>;
  failed: Map<string, unknown>;
  /** Nodes never started: a dependency failed, or `shouldStart` said no. */
  skipped: string[];
}

export interface GraphRunOptions {
  /** Walk dependents before their dependencies (for teardown). */
  reverse?: boolean;
  /** Asked right before a node would start; false leaves it skipped (e.g. after a failure). */
  shouldStart?: (id: string) => boolean;
}

export async function runGraph<N extends GraphNode, R>(
  nodes: readonly N[],
  run: (node: N) => Promise<R>,
  options: GraphRunOptions = {},
): Promise<GraphRun<R>> {
  const ids = new Set(nodes.map((n) => n.id));
  const waitsFor = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const node of nodes) {
    for (const dep of node.dependsOn.filter((d) => ids.has(d))) {
      if (options.reverse) waitsFor.get(dep)!.push(node.id);
      else waitsFor.get(node.id)!.push(dep);
    }
  }
  const result: GraphRun<R> = { done: new Map(), failed: new Map(), skipped: [] };
  const finished = new Map<string, Promise<boolean>>();
  const visit = (node: N): Promise<boolean> => {
    let promise = finished.get(node.id);
    if (!promise) {
      promise = (async () => {
        const deps = await Promise.all(waitsFor.get(node.id)!.map((id) => visit(byId.get(id)!)));
        if (deps.includes(false) || (options.shouldStart && !options.shouldStart(node.id))) {
          result.skipped.push(node.id);
          return false;
        }
        try {
          result.done.set(node.id, await run(node));
          return true;
        } catch (err) {
          result.failed.set(node.id, err);
          return false;
        }
      })();
      finished.set(node.id, promise);
    }
    return promise;
  };
  const byId = new Map(nodes.map((n) => [n.id, n]));
  await Promise.all(nodes.map(visit));
  return result;
}
