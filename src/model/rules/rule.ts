import type { PathSegment } from '../paths';
import type { EnvironmentSpec, SpecSection } from '../schema';

/** One problem a rule found: where, what value, and what is wrong (with the fix where known). */
export interface Violation {
  path: PathSegment[];
  value?: unknown;
  message: string;
}

/**
 * A check beyond types. `reads` lists the sections it looks at: when the spec has type errors,
 * a rule still runs if every section it reads is well typed, so a report lists all it can.
 */
export interface SpecRule<K extends SpecSection = SpecSection> {
  readonly id: string;
  readonly description: string;
  readonly reads: readonly K[];
  check(spec: Pick<EnvironmentSpec, K>): Violation[];
}

export function defineRule<K extends SpecSection>(rule: SpecRule<K>): SpecRule<K> {
  return rule;
}

/** Violations for every value that occurs more than once, at the later occurrences. */
export function duplicates<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  path: (index: number) => PathSegment[],
  what: string,
): Violation[] {
  const seen = new Set<string>();
  return items.flatMap((item, index) => {
    const key = keyOf(item);
    if (seen.has(key))
      return [{ path: path(index), value: key, message: `${what} "${key}" appears more than once` }];
    seen.add(key);
    return [];
  });
}
