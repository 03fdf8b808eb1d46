/** Data survives mistakes; storage bills hold no surprises. */
import { s3StorageClassTable } from '../../data/s3-storage-classes';
import { everywhere, type PolicyRule } from './policy-rule';

export const dataProtectionRules: readonly PolicyRule[] = [
  {
    id: 'database-deletion-protection',
    description: 'A production database has deletion protection on.',
    severity: { production: 'deny', staging: 'warn', development: null },
    check: ({ database }) =>
      database.deletionProtection
        ? []
        : [{ component: 'database', message: 'deletionProtection is off: one destroy removes the data' }],
  },
  {
    id: 'database-final-snapshot',
    description: 'A production database keeps a final snapshot when it is deleted.',
    severity: { production: 'deny', staging: 'warn', development: null },
    check: ({ database }) =>
      database.skipFinalSnapshot
        ? [
            {
              component: 'database',
              message: 'skipFinalSnapshot is on: nothing is kept when the cluster is deleted',
            },
          ]
        : [],
  },
  {
    id: 's3-early-deletion',
    description:
      'Lifecycle transitions leave a Glacier class no sooner than its minimum storage duration (else S3 bills the rest).',
    severity: everywhere('warn'),
    check: ({ storage }) =>
      storage.lifecycleRules.flatMap((rule) =>
        rule.transitions.slice(1).flatMap((next, i) => {
          const previous = rule.transitions[i];
          const minimum = s3StorageClassTable.classes[previous.storageClass].minimumStorageDurationDays;
          return next.days - previous.days < minimum
            ? [
                {
                  component: 'storage',
                  message: `rule ${rule.id}: objects leave ${previous.storageClass} after ${next.days - previous.days} days; S3 bills ${minimum}`,
                },
              ]
            : [];
        }),
      ),
  },
  {
    id: 'noncurrent-expiry-without-versioning',
    description: 'Noncurrent-version expiry only matters on a versioned bucket.',
    severity: everywhere('warn'),
    check: ({ storage }) =>
      !storage.versioning &&
      storage.lifecycleRules.some((r) => r.noncurrentVersionExpirationDays !== undefined)
        ? [{ component: 'storage', message: 'noncurrentVersionExpirationDays is set but versioning is off' }]
        : [],
  },
];
