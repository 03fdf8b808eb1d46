/**
 * Drift findings from the server-side-apply dry-run diff of an in-cluster component (diff.ts).
 * Pure: the cluster driver collects the object differences and maps them here.
 */
import type { DriftFinding } from '../../drift/report';
import type { ObjectDifference } from './diff';

/** Findings from the server-side-apply dry-run diff; `absent` when none of the objects exist. */
export function clusterFindings(
  component: string,
  differences: ObjectDifference[],
  objects: number,
): { findings: DriftFinding[]; absent: boolean } {
  const missing = differences.filter((d) => d.change === 'missing').length;
  if (objects > 0 && missing === objects && differences.length === missing)
    return { findings: [], absent: true };
  const findings = differences.flatMap((difference): DriftFinding[] => {
    const resource = difference.object;
    if (difference.change === 'missing')
      return [{ component, resource, property: '(object)', desired: 'present', actual: 'absent' }];
    if (difference.change === 'extra')
      return [{ component, resource, property: '(object)', desired: 'absent', actual: 'present' }];
    return difference.fields.map((field) => ({
      component,
      resource,
      property: field.path,
      ...(field.desired !== undefined ? { desired: field.desired } : {}),
      ...(field.live !== undefined ? { actual: field.live } : {}),
    }));
  });
  return { findings, absent: false };
}
