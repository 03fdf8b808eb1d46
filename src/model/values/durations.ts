/**
 * Durations as written in the spec. Two dialects, because the spec mirrors two tools:
 * - Go / Istio / Temporal style: `30s`, `10s`, `15m`, `1h30m`, `500ms`.
 * - Prometheus retention style: `30d`, `2w`, `1y` (also `h`, `m`, `s`).
 */

const goUnits: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600 };
const prometheusUnits: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
  y: 365 * 86400,
};

export const goDurationPattern = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
export const prometheusDurationPattern = /^(\d+(ms|s|m|h|d|w|y))+$/;

function sumOfParts(text: string, units: Record<string, number>): number {
  let seconds = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/g)) {
    seconds += Number(part[1]) * units[part[2]];
  }
  return seconds;
}

/** Seconds in a Go-style duration, or undefined when it is not one. */
export function goDurationSeconds(text: string): number | undefined {
  return goDurationPattern.test(text) ? sumOfParts(text, goUnits) : undefined;
}

export function prometheusDurationSeconds(text: string): number | undefined {
  return prometheusDurationPattern.test(text) ? sumOfParts(text, prometheusUnits) : undefined;
}
