import {
  defineQuery,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type * as activities from '../activities';
import {
  buildReport,
  driftMarkdown,
  failedCheck,
  withRemediation,
  type DriftReport,
  type Remediation,
} from '../drift/report';
import type { ComponentNode, EnvironmentSpec } from '../model';
import { componentSpec } from '../model/components';
import { componentGraph } from '../model/dag';
import { awaitApproval } from './approval';
import { errorMessage } from './destroy';
import { engineRunActivities } from './engine-run';
import { countDriftFindings, driftRunEnded } from './metrics';
import { runSpec } from './run-spec';
import { LpAction, LpDrifted, LpEnvironment } from './search-attributes';

const { readComponentOutputs, checkComponentDrift } = proxyActivities<typeof activities>({
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '2s', maximumInterval: '30s', maximumAttempts: 3 },
});
// patched(): runs recorded before went on at once after cancelling a re-apply.
const engineRuns = engineRunActivities('drift-waits-for-cancelled-engine-runs');

export interface DriftInput {
  spec: EnvironmentSpec;
  /** Default: the spec's drift.remediation. */
  remediation?: Remediation;
  /** Check only these component ids (default: every component of the spec). */
  components?: string[];
}

/** The latest report of a drift run (undefined until the first check is done). */
export const driftReportQuery = defineQuery<DriftReport | undefined>('driftReport');

/**
 * Checks every component for drift at once (read-only), reports, then remediates as the spec
 * says: report-only; auto (re-apply only the drifted components, then check them again); or
 * approve-first (the same after a decideApproval Update; no decision within
 * drift.approvalTimeout counts as not approved).
 */
export async function driftCheck(input: DriftInput): Promise<DriftReport> {
  const spec = runSpec(input.spec, 'drift');
  const mode = input.remediation ?? spec.drift.remediation;
  let report: DriftReport | undefined;
  const publish = (next: DriftReport) => {
    setCurrentDetails(driftMarkdown((report = next)));
    return next;
  };
  setHandler(driftReportQuery, () => report);
  upsertSearchAttributes([
    { key: LpEnvironment, value: spec.name },
    { key: LpAction, value: 'drift' },
  ]);
  const nodes = componentGraph(spec).filter((n) => !input.components || input.components.includes(n.id));
  const needed = [...new Set(nodes.flatMap((n) => [n.id, ...n.dependsOn]))];
  const outputs = await readComponentOutputs({ spec, components: input.components && needed });
  const request = (node: ComponentNode) => ({
    spec: componentSpec(spec, node.kind),
    node,
    inputs: Object.fromEntries(node.dependsOn.filter((d) => outputs[d]).map((d) => [d, outputs[d]])),
    outputs: outputs[node.id] ?? {},
  });
  const check = (list: ComponentNode[]) =>
    Promise.all(
      list.map((n) => checkComponentDrift(request(n)).catch((err) => failedCheck(n.id, errorMessage(err)))),
    );

  publish(buildReport(spec.name, mode, await check(nodes), Date.now()));
  countDriftFindings(report!);
  upsertSearchAttributes([{ key: LpDrifted, value: report!.drifted.length > 0 }]);
  const drifted = nodes.filter((n) => report!.drifted.includes(n.id));
  if (drifted.length === 0 || mode === 'report-only') return driftRunEnded(report!);

  if (mode === 'approve-first') {
    publish(withRemediation(report!, { status: 'awaiting-approval' }));
    const what = `re-apply ${drifted.map((n) => n.id).join(', ')} of ${spec.name}`;
    const approval = await awaitApproval(what, spec.drift.approvalTimeout, {
      approvers: spec.provisioning?.approvers,
    });
    if (!approval.approved)
      return driftRunEnded(publish(withRemediation(report!, { status: 'not-approved', approval })));
    publish(withRemediation(report!, { status: 'reapplying', approval }));
  }
  try {
    for (const node of drifted) {
      await engineRuns().applyComponent({ ...request(node), refresh: true });
      publish(withRemediation(report!, { reapplied: [...report!.remediation.reapplied, node.id] }));
    }
  } catch (err) {
    return driftRunEnded(publish(withRemediation(report!, { status: 'failed', error: errorMessage(err) })));
  }
  return driftRunEnded(
    publish(withRemediation(report!, { status: 'reapplied', after: await check(drifted) })),
  );
}
