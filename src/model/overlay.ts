/**
 * How one spec extends another: JSON Merge Patch (RFC 7396). Maps merge key by key, anything
 * else (lists included) replaces what the base had, and null removes a key.
 */

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function mergePatch(base: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch;
  const result: Record<string, unknown> = {};
  const assign = (key: string, value: unknown) =>
    Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
  if (isMap(base)) for (const [key, value] of Object.entries(base)) assign(key, value);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else
      assign(
        key,
        mergePatch(Object.prototype.hasOwnProperty.call(result, key) ? result[key] : undefined, value),
      );
  }
  return result;
}
