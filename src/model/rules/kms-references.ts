import type { PathSegment } from '../paths';
import type { EnvironmentSpec } from '../schema';
import { defineRule, duplicates, type Violation } from './rule';

interface KeyUse {
  path: PathSegment[];
  alias: string | undefined;
  region: 'primary' | 'secondary';
}

function keyUses({
  database,
  cache,
  storage,
}: Pick<EnvironmentSpec, 'database' | 'cache' | 'storage'>): KeyUse[] {
  return [
    { path: ['database', 'kmsKey'], alias: database.kmsKey, region: 'primary' },
    {
      path: ['database', 'crossRegionReplica', 'kmsKey'],
      alias: database.crossRegionReplica?.kmsKey,
      region: 'secondary',
    },
    { path: ['cache', 'encryption', 'kmsKey'], alias: cache.encryption.kmsKey, region: 'primary' },
    { path: ['storage', 'encryption', 'kmsKey'], alias: storage.encryption.kmsKey, region: 'primary' },
  ];
}

export const kmsReferenceRules = [
  defineRule({
    id: 'kms-key-references',
    description:
      'Every kmsKey names a key in kms.keys that lives in the same region as its user; aliases are unique; ' +
      'storage.encryption.kmsKey goes with algorithm aws:kms.',
    reads: ['kms', 'database', 'cache', 'storage'],
    check: (spec) => {
      const violations: Violation[] = duplicates(
        spec.kms.keys,
        (k) => k.alias,
        (i) => ['kms', 'keys', i, 'alias'],
        'KMS alias',
      );
      for (const use of keyUses(spec)) {
        if (use.alias === undefined) continue;
        const key = spec.kms.keys.find((k) => k.alias === use.alias);
        if (!key) {
          violations.push({
            path: use.path,
            value: use.alias,
            message: `no key with this alias in kms.keys (${spec.kms.keys.map((k) => k.alias).join(', ') || 'none'})`,
          });
        } else if (key.region !== use.region) {
          violations.push({
            path: use.path,
            value: use.alias,
            message: `the key is in the ${key.region} region but is used in the ${use.region} region; KMS keys are regional`,
          });
        }
      }
      if (spec.storage.encryption.kmsKey !== undefined && spec.storage.encryption.algorithm !== 'aws:kms') {
        violations.push({
          path: ['storage', 'encryption', 'algorithm'],
          value: spec.storage.encryption.algorithm,
          message: 'a kmsKey needs algorithm aws:kms',
        });
      }
      return violations;
    },
  }),
];
