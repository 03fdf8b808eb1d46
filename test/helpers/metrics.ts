/** Reading a worker's Prometheus endpoint as a scraper does: GET /metrics, text format. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return parsePrometheus(await response.text());
}

/** The samples of a series whose labels include these. */
export function select(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
}

/** The sum of a series over every sample matching the labels (what `sum(name{...})` gives). */
export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return select(samples, name, labels).reduce((sum, s) => sum + s.value, 0);
}

/** The sum by one label, e.g. histogram counts by component kind. */
export function totalBy(
  samples: Sample[],
  name: string,
  by: string,
  labels: Record<string, string> = {},
): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const s of select(samples, name, labels)) sums[s.labels[by]] = (sums[s.labels[by]] ?? 0) + s.value;
  return sums;
}
