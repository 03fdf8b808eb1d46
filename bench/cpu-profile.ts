/**
 * Where a worker's CPU went: the top functions by self time in a V8 .cpuprofile
 * (written with BENCH_CPU_PROF=DIR npm run bench -- --only many-environments).
 *   npx tsx bench/cpu-profile.ts FILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export function topSelfTime(file: string, top = 25): { where: string; percent: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const byWhere = new Map<string, number>();
  const hits = new Map<number, number>();
  for (const sample of profile.samples) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  for (const node of profile.nodes) {
    const url = node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '');
    const where = `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
    byWhere.set(where, (byWhere.get(where) ?? 0) + (hits.get(node.id) ?? 0));
  }
  const total = profile.samples.length || 1;
  return [...byWhere]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, count]) => ({ where, percent: Math.round((1000 * count) / total) / 10 }));
}

if (require.main === module) {
  for (const row of topSelfTime(process.argv[2], Number(process.argv[3] ?? 25)))
    console.log(`${row.percent.toFixed(1).padStart(5)} %  ${row.where}`);
}
