import type { PathSegment } from '../paths';
import { goDurationSeconds } from '../values/durations';
import { defineRule, type Violation } from './rule';

export const operationsRules = [
  defineRule({
    id: 'operations-timing',
    description: 'The drift schedule runs at most once a minute; approval timeouts are at least a minute.',
    reads: ['drift', 'provisioning'],
    check: ({ drift, provisioning }) => {
      const atLeastAMinute = (path: PathSegment[], text: string): Violation[] =>
        (goDurationSeconds(text) ?? 0) < 60 ? [{ path, value: text, message: 'must be at least 1m' }] : [];
      return [
        ...atLeastAMinute(['drift', 'schedule'], drift.schedule),
        ...atLeastAMinute(['drift', 'approvalTimeout'], drift.approvalTimeout),
        ...atLeastAMinute(['provisioning', 'approvalTimeout'], provisioning.approvalTimeout),
      ];
    },
  }),
];
