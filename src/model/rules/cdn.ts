import type { PathSegment } from '../paths';
import type { EnvironmentSpec } from '../schema';
import { defineRule, duplicates, type Violation } from './rule';

type Behavior = EnvironmentSpec['cdn']['defaultCacheBehavior'];

/** The only method sets CloudFront accepts. */
const allowedMethodSets = [
  ['GET', 'HEAD'],
  ['GET', 'HEAD', 'OPTIONS'],
  ['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'],
];
const cachedMethodSets = [
  ['GET', 'HEAD'],
  ['GET', 'HEAD', 'OPTIONS'],
];

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((m) => b.includes(m));
const describe = (sets: string[][]) => sets.map((s) => `[${s.join(', ')}]`).join(' or ');

function behaviorViolations(behavior: Behavior, at: PathSegment[]): Violation[] {
  const violations: Violation[] = [];
  const { min, default: standard, max } = behavior.ttl;
  if (min > standard)
    violations.push({
      path: [...at, 'ttl', 'min'],
      value: min,
      message: `min TTL must not exceed the default TTL (${standard})`,
    });
  if (standard > max)
    violations.push({
      path: [...at, 'ttl', 'default'],
      value: standard,
      message: `default TTL must not exceed the max TTL (${max})`,
    });
  if (!allowedMethodSets.some((set) => sameSet(set, behavior.allowedMethods))) {
    violations.push({
      path: [...at, 'allowedMethods'],
      value: behavior.allowedMethods,
      message: `CloudFront accepts only ${describe(allowedMethodSets)}`,
    });
  }
  if (!cachedMethodSets.some((set) => sameSet(set, behavior.cachedMethods))) {
    violations.push({
      path: [...at, 'cachedMethods'],
      value: behavior.cachedMethods,
      message: `CloudFront accepts only ${describe(cachedMethodSets)}`,
    });
  } else if (!behavior.cachedMethods.every((m) => behavior.allowedMethods.includes(m))) {
    violations.push({
      path: [...at, 'cachedMethods'],
      value: behavior.cachedMethods,
      message: 'cached methods must be among the allowed methods',
    });
  }
  return violations;
}

function certificateCovers(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) =>
    pattern.startsWith('*.') ? name.split('.').slice(1).join('.') === pattern.slice(2) : pattern === name,
  );
}

export const cdnRules = [
  defineRule({
    id: 'cdn-behaviors',
    description:
      'Each cache behaviour has min <= default <= max TTL and method sets CloudFront accepts; path patterns are unique; ' +
      'the certificate covers every alias.',
    reads: ['cdn'],
    check: ({ cdn }) => {
      const certificateNames = [
        cdn.viewerCertificate.domainName,
        ...cdn.viewerCertificate.subjectAlternativeNames,
      ];
      return [
        ...behaviorViolations(cdn.defaultCacheBehavior, ['cdn', 'defaultCacheBehavior']),
        ...cdn.orderedCacheBehaviors.flatMap((b, i) =>
          behaviorViolations(b, ['cdn', 'orderedCacheBehaviors', i]),
        ),
        ...duplicates(
          cdn.orderedCacheBehaviors,
          (b) => b.pathPattern,
          (i) => ['cdn', 'orderedCacheBehaviors', i, 'pathPattern'],
          'path pattern',
        ),
        ...cdn.aliases.flatMap((alias, i) =>
          certificateCovers(alias, certificateNames)
            ? []
            : [
                {
                  path: ['cdn', 'aliases', i],
                  value: alias,
                  message: `the viewer certificate (${certificateNames.join(', ')}) does not cover this name`,
                },
              ],
        ),
      ];
    },
  }),
];
