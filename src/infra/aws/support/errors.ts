/**
 * True when the call failed with one of the given errors. Query-protocol services (RDS,
 * ElastiCache) send a code (`DBInstanceNotFound`) that the SDK turns into an exception
 * class (`DBInstanceNotFoundFault`): either matches.
 */
export function isAwsError(err: unknown, ...names: string[]): boolean {
  const { name, Code } = (err ?? {}) as { name?: string; Code?: string };
  return names.some((wanted) => wanted === name || wanted === Code);
}

/** The result of a describe call, or undefined when the resource does not exist. */
export async function unlessMissing<T>(describe: Promise<T>, ...notFound: string[]): Promise<T | undefined> {
  try {
    return await describe;
  } catch (err) {
    if (isAwsError(err, ...notFound)) return undefined;
    throw err;
  }
}

/** Runs a removal; a resource that is already gone counts as removed. */
export async function ignoreMissing(remove: Promise<unknown>, ...notFound: string[]): Promise<void> {
  await unlessMissing(remove, ...notFound);
}
