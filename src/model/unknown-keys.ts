/**
 * Explanations for keys the schema does not know: secrets (which lp-infra never takes from a
 * spec), fields the reference document spells differently, and plain typos.
 */

import { isSecretKey, secretKeyMessage } from './secret-keys';

const knownKeysMarker = 'declared-keys:';

/** The message a strict section attaches to an unrecognized-keys issue: its declared keys. */
export function knownKeysMessage(declared: readonly string[]): string {
  return knownKeysMarker + JSON.stringify(declared);
}

export function declaredKeysFrom(message: string): string[] | undefined {
  return message.startsWith(knownKeysMarker)
    ? (JSON.parse(message.slice(knownKeysMarker.length)) as string[])
    : undefined;
}

/** Keys people carry over from eksctl, Terraform or the reference document, with the spec's spelling. */
const renamedKeys: Record<string, string> = {
  circuitBreaker:
    'Istio has no circuitBreaker field (the reference document uses one); write trafficPolicy.outlierDetection ' +
    'with consecutive5xxErrors, interval, baseEjectionTime and maxEjectionPercent',
  consecutiveErrors: 'Istio deprecated consecutiveErrors; use consecutive5xxErrors',
  desiredCapacity: 'use desiredSize (the EKS API name for eksctl desiredCapacity)',
  instanceType: 'use instanceTypes, a list (instanceTypes: [t3.large])',
  cidr: 'use vpcCidr',
  backup_retention_period: 'use backup.retentionDays',
  num_cache_clusters: 'use numCacheClusters',
};

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(
        previous[j] + 1,
        previous[j - 1] + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length];
}

function closest(key: string, declared: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of declared) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

export function explainUnknownKey(key: string, declared: readonly string[]): string {
  if (isSecretKey(key)) return secretKeyMessage;
  if (Object.prototype.hasOwnProperty.call(renamedKeys, key)) return `unknown key: ${renamedKeys[key]}`;
  const suggestion = closest(key, declared);
  const known = declared.length > 0 ? `; known keys here: ${declared.join(', ')}` : '';
  return suggestion ? `unknown key; did you mean ${suggestion}?` : `unknown key${known}`;
}
