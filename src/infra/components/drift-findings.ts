/**
 * Drift findings from the steps of a Pulumi engine run, property by property. Pure: pulumiDriver
 * collects the engine events and maps them here. (The in-cluster components' findings are made
 * from their server-side-apply dry run, src/infra/kubernetes/drift-findings.ts.)
 */
import type { DriftFinding } from '../../drift/report';

/** Pulumi's stand-in for a value that is only known after an update: never a finding of its own. */
export const unknownValue = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** The part of a Pulumi engine `resourcePreEvent` the mapping reads. */
export interface StepEvent {
  op: string;
  urn: string;
  type: string;
  old?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null;
  new?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deepest differing paths between two JSON values; `actual` is what is there, `desired` the spec's. */
export function propertyDifferences(
  actual: unknown,
  desired: unknown,
  path = '',
): { property: string; actual?: unknown; desired?: unknown }[] {
  if (desired === unknownValue) return [];
  if (Array.isArray(actual) && Array.isArray(desired)) {
    const length = Math.max(actual.length, desired.length);
    return Array.from({ length }, (_, i) =>
      propertyDifferences(actual[i], desired[i], `${path}[${i}]`),
    ).flat();
  }
  if (isRecord(actual) && isRecord(desired)) {
    const keys = [...new Set([...Object.keys(actual), ...Object.keys(desired)])].sort();
    return keys.flatMap((key) =>
      propertyDifferences(actual[key], desired[key], path ? `${path}.${key}` : key),
    );
  }
  if (JSON.stringify(actual) === JSON.stringify(desired)) return [];
  return [
    {
      property: path || '(value)',
      ...(actual !== undefined ? { actual } : {}),
      ...(desired !== undefined ? { desired } : {}),
    },
  ];
}

/** `aws:s3-bucket assets` from `urn:…::pulumi-nodejs:dynamic/lp-infra/aws:s3-bucket::assets`. */
export function resourceName(event: Pick<StepEvent, 'urn' | 'type'>): string {
  const name = event.urn.split('::').pop() ?? event.urn;
  return `${event.type.split('/').pop()} ${name}`;
}

/** Our dynamic resources keep the desired config under `props`; others are compared whole. */
const propsOf = (state: Record<string, unknown> | undefined) =>
  isRecord(state?.props) ? { ...state.props, ...(state.region ? { region: state.region } : {}) } : state;

/**
 * Findings from the steps of a `preview --refresh`: the refresh reads each resource back (its
 * handler's read sees the cloud), then the preview plans what `up` would do to bring it back.
 * update/replace: the properties that differ; create: a resource that is gone; delete: one the
 * stack has and the program no longer declares.
 */
export function pulumiFindings(component: string, steps: StepEvent[]): DriftFinding[] {
  const findings: DriftFinding[] = [];
  for (const step of steps) {
    if (step.type.startsWith('pulumi:')) continue; // the stack and its providers
    const resource = resourceName(step);
    if (step.op === 'update' || step.op === 'replace') {
      const actual = propsOf(step.old?.outputs);
      const desired = propsOf(step.new?.inputs);
      for (const difference of propertyDifferences(actual, desired))
        findings.push({ component, resource, ...difference });
    } else if (step.op === 'create') {
      findings.push({ component, resource, property: '(resource)', desired: 'present', actual: 'absent' });
    } else if (step.op === 'delete') {
      findings.push({ component, resource, property: '(resource)', desired: 'absent', actual: 'present' });
    }
  }
  return findings;
}
