/** Amazon EKS Kubernetes release calendar: standard support is 14 months, extended support 12 more. */

export interface EksVersionRow {
  readonly released: string;
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
}

export const eksVersionTable = {
  source:
    'Amazon EKS Kubernetes release calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), ' +
    'as tabulated by endoflife.date/amazon-eks',
  asOf: '2026-02-14',
  versions: {
    '1.28': {
      released: '2023-09-26',
      endOfStandardSupport: '2024-11-26',
      endOfExtendedSupport: '2025-11-26',
    },
    '1.29': {
      released: '2024-01-23',
      endOfStandardSupport: '2025-03-23',
      endOfExtendedSupport: '2026-03-23',
    },
    '1.30': {
      released: '2024-05-23',
      endOfStandardSupport: '2025-07-23',
      endOfExtendedSupport: '2026-07-23',
    },
    '1.31': {
      released: '2024-09-26',
      endOfStandardSupport: '2025-11-26',
      endOfExtendedSupport: '2026-11-26',
    },
    '1.32': {
      released: '2025-01-25',
      endOfStandardSupport: '2026-03-23',
      endOfExtendedSupport: '2027-03-23',
    },
    '1.33': {
      released: '2025-05-28',
      endOfStandardSupport: '2026-07-29',
      endOfExtendedSupport: '2027-07-29',
    },
    '1.34': {
      released: '2025-10-06',
      endOfStandardSupport: '2026-12-02',
      endOfExtendedSupport: '2027-12-02',
    },
    '1.35': {
      released: '2026-01-28',
      endOfStandardSupport: '2027-03-27',
      endOfExtendedSupport: '2028-03-27',
    },
  } as Record<string, EksVersionRow>,
} as const;

export type EksSupportStatus = 'standard' | 'extended' | 'ended' | 'unknown';

/** Where `version` stands on `isoDate` (YYYY-MM-DD). */
export function eksSupportStatus(version: string, isoDate: string): EksSupportStatus {
  const row = eksVersionTable.versions[version];
  if (!row) return 'unknown';
  if (isoDate < row.endOfStandardSupport) return 'standard';
  if (isoDate < row.endOfExtendedSupport) return 'extended';
  return 'ended';
}
