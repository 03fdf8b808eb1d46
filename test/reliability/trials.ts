/**
 * Trial counts and seeds for the reliability suites. The fast setting runs in CI with
 * `npm test`; LP_INFRA_LONG=1 runs the long one; LP_INFRA_TRIALS=N sets the fast setting's
 * count. LP_INFRA_SEED replays a reported run.
 * Every suite prints what it ran with, so a failure can be repeated exactly.
 */
export const long = process.env.LP_INFRA_LONG === '1';

export interface Trials {
  suite: string;
  runs: number;
  seed: number;
}

/** The trial count (fast or long) and seed of a suite, printed once. */
export function trials(
  suite: string,
  counts: { fast: number; long: number },
  defaultSeed = 20261127,
): Trials {
  const fromEnv = Number(process.env.LP_INFRA_SEED);
  const seed = Number.isInteger(fromEnv) && process.env.LP_INFRA_SEED ? fromEnv : defaultSeed;
  const asked = Number(process.env.LP_INFRA_TRIALS);
  const fast = Number.isInteger(asked) && asked > 0 ? asked : counts.fast;
  const runs = long ? counts.long : fast;
  process.stderr.write(
    `[reliability] ${suite}: ${runs} trial(s), seed ${seed}${long ? ' (LP_INFRA_LONG=1)' : ''}\n`,
  );
  return { suite, runs, seed };
}

/** A small seeded generator (mulberry32) for choices outside fast-check. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
