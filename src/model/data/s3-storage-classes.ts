/**
 * S3 storage classes a lifecycle rule may transition to, in the order S3 allows transitions
 * (each may only move to a later one), with the day limits S3 applies.
 */

export interface StorageClassRow {
  /** Position in S3's transition waterfall; a rule's transitions must move strictly down it. */
  readonly order: number;
  /** S3 rejects a transition into this class earlier than this many days after creation. */
  readonly minimumDaysAfterCreation: number;
  /** S3 rejects the next transition out of this class sooner than this many days after entering it. */
  readonly minimumDaysBeforeNextTransition: number;
  /** Objects leaving earlier are billed for this many days (early-deletion charge), though S3 allows it. */
  readonly minimumStorageDurationDays: number;
}

export const s3StorageClassTable = {
  source:
    'Amazon S3 User Guide: "Transitioning objects using Amazon S3 Lifecycle" (supported transitions and ' +
    'constraints) and "Amazon S3 storage classes" (minimum storage duration); S3 API Reference, Transition',
  asOf: '2026-11-27',
  classes: {
    STANDARD_IA: {
      order: 1,
      minimumDaysAfterCreation: 30,
      minimumDaysBeforeNextTransition: 30,
      minimumStorageDurationDays: 30,
    },
    INTELLIGENT_TIERING: {
      order: 2,
      minimumDaysAfterCreation: 0,
      minimumDaysBeforeNextTransition: 0,
      minimumStorageDurationDays: 0,
    },
    ONEZONE_IA: {
      order: 3,
      minimumDaysAfterCreation: 30,
      minimumDaysBeforeNextTransition: 30,
      minimumStorageDurationDays: 30,
    },
    GLACIER_IR: {
      order: 4,
      minimumDaysAfterCreation: 0,
      minimumDaysBeforeNextTransition: 0,
      minimumStorageDurationDays: 90,
    },
    GLACIER: {
      order: 5,
      minimumDaysAfterCreation: 0,
      minimumDaysBeforeNextTransition: 0,
      minimumStorageDurationDays: 90,
    },
    DEEP_ARCHIVE: {
      order: 6,
      minimumDaysAfterCreation: 0,
      minimumDaysBeforeNextTransition: 0,
      minimumStorageDurationDays: 180,
    },
  },
} as const;

export type S3StorageClass = keyof typeof s3StorageClassTable.classes;
export const s3StorageClassNames = Object.keys(s3StorageClassTable.classes) as [
  S3StorageClass,
  ...S3StorageClass[],
];
