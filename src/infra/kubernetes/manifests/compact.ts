/** Drops undefined fields (deeply), so built objects hold exactly what is set. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, inner]) => inner !== undefined)
        .map(([key, inner]) => [key, compact(inner)]),
    ) as T;
  }
  return value;
}
