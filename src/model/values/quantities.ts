/** Kubernetes resource quantities (`250m`, `2`, `512Mi`, `1Gi`, `100G`) as plain numbers. */

const suffixes: Record<string, number> = {
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

export const quantityPattern = /^(\d+(\.\d+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/;

export function quantityValue(text: string): number | undefined {
  const m = quantityPattern.exec(text);
  return m ? Number(m[1]) * suffixes[m[3] ?? ''] : undefined;
}

export function gibibytes(text: string): number | undefined {
  const bytes = quantityValue(text);
  return bytes === undefined ? undefined : bytes / 2 ** 30;
}
