/** Version numbers of an add-on (v1.15.1-eksbuild.2) as comparable numbers: major, minor, patch, build. */
function versionParts(version: string): number[] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-eksbuild\.(\d+))?/.exec(version);
  return match ? match.slice(1).map((part) => Number(part ?? 0)) : [];
}

/** The newest of an add-on's versions, by version number rather than by the order AWS lists them in. */
export function newestAddonVersion(versions: string[]): string | undefined {
  const compare = (a: string, b: string) => {
    const [left, right] = [versionParts(a), versionParts(b)];
    for (let i = 0; i < 4; i++) {
      const difference = (left[i] ?? -1) - (right[i] ?? -1);
      if (difference !== 0) return difference;
    }
    return 0;
  };
  return [...versions].sort(compare).pop();
}
