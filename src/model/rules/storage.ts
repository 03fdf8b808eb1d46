import { s3StorageClassTable } from '../data/s3-storage-classes';
import { defineRule, duplicates, type Violation } from './rule';

const classes = s3StorageClassTable.classes;

export const storageRules = [
  defineRule({
    id: 's3-lifecycle',
    description:
      "Lifecycle transitions have ascending days, move down S3's storage-class order, and respect S3's minimum " +
      'days (30 after creation for STANDARD_IA/ONEZONE_IA, 30 in those classes before the next transition); rule ids are unique.',
    reads: ['storage'],
    check: ({ storage }) =>
      storage.lifecycleRules
        .flatMap((rule, r) => {
          const at = ['storage', 'lifecycleRules', r, 'transitions'];
          const violations: Violation[] = [];
          rule.transitions.forEach((transition, t) => {
            const row = classes[transition.storageClass];
            if (transition.days < row.minimumDaysAfterCreation) {
              violations.push({
                path: [...at, t, 'days'],
                value: transition.days,
                message: `S3 needs objects to be at least ${row.minimumDaysAfterCreation} days old before they move to ${transition.storageClass}`,
              });
            }
            const previous = rule.transitions[t - 1];
            if (!previous) return;
            const previousRow = classes[previous.storageClass];
            if (row.order <= previousRow.order) {
              violations.push({
                path: [...at, t, 'storageClass'],
                value: transition.storageClass,
                message: `S3 cannot move objects from ${previous.storageClass} to ${transition.storageClass}; transitions go STANDARD_IA → INTELLIGENT_TIERING → ONEZONE_IA → GLACIER_IR → GLACIER → DEEP_ARCHIVE`,
              });
            }
            if (transition.days <= previous.days) {
              violations.push({
                path: [...at, t, 'days'],
                value: transition.days,
                message: `must be later than the previous transition (${previous.days} days)`,
              });
            } else if (transition.days - previous.days < previousRow.minimumDaysBeforeNextTransition) {
              violations.push({
                path: [...at, t, 'days'],
                value: transition.days,
                message: `objects must stay ${previousRow.minimumDaysBeforeNextTransition} days in ${previous.storageClass} before moving on; use ${previous.days + previousRow.minimumDaysBeforeNextTransition} or more`,
              });
            }
          });
          return violations;
        })
        .concat(
          duplicates(
            storage.lifecycleRules,
            (rule) => rule.id,
            (i) => ['storage', 'lifecycleRules', i, 'id'],
            'lifecycle rule id',
          ),
        ),
  }),
];
