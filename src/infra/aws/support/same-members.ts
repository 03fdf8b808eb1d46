/**
 * `actual` in the order of `wanted` when both hold the same items: AWS lists subnets,
 * security groups and methods in an order of its own, which is not a change.
 */
export function sameMembers(actual: string[], wanted: string[]): string[] {
  const same = actual.length === wanted.length && actual.every((item) => wanted.includes(item));
  return same ? wanted : actual;
}
