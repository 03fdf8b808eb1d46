/** Which tags to set and which keys to remove, to go from `before` to `after`. */
export function tagChanges(before: Record<string, string>, after: Record<string, string>) {
  const set = Object.fromEntries(Object.entries(after).filter(([key, value]) => before[key] !== value));
  const removed = Object.keys(before).filter((key) => !(key in after));
  return { set, removed, changed: Object.keys(set).length + removed.length > 0 };
}
