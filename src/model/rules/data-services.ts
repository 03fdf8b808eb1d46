import { defineRule, type Violation } from './rule';

export const dataServiceRules = [
  defineRule({
    id: 'database-settings',
    description:
      'Serverless v2 minCapacity <= maxCapacity; an encrypted primary has an encrypted replica (AWS requires it); ' +
      'disaster recovery needs the cross-region replica.',
    reads: ['database', 'disasterRecovery'],
    check: ({ database }) => {
      const violations: Violation[] = [];
      const scaling = database.serverlessV2Scaling;
      if (scaling && scaling.minCapacity > scaling.maxCapacity) {
        violations.push({
          path: ['database', 'serverlessV2Scaling', 'minCapacity'],
          value: scaling.minCapacity,
          message: `minCapacity must not exceed maxCapacity (${scaling.maxCapacity})`,
        });
      }
      const replica = database.crossRegionReplica;
      if (!replica) {
        violations.push({
          path: ['database', 'crossRegionReplica'],
          message:
            'disasterRecovery (active-passive) fails over to the cross-region replica; add database.crossRegionReplica',
        });
      } else if (database.storageEncrypted && !replica.storageEncrypted) {
        violations.push({
          path: ['database', 'crossRegionReplica', 'storageEncrypted'],
          value: false,
          message:
            'the replica of an encrypted cluster must be encrypted too (with a key in the secondary region)',
        });
      }
      return violations;
    },
  }),
  defineRule({
    id: 'cache-settings',
    description:
      'Automatic failover needs 2+ cache clusters; Multi-AZ needs automatic failover; an AUTH token needs ' +
      'in-transit encryption.',
    reads: ['cache'],
    check: ({ cache }) => {
      const violations: Violation[] = [];
      if (cache.automaticFailover && cache.numCacheClusters < 2) {
        violations.push({
          path: ['cache', 'numCacheClusters'],
          value: cache.numCacheClusters,
          message: 'automaticFailover needs at least 2 cache clusters (a primary and a replica)',
        });
      }
      if (cache.multiAz && !cache.automaticFailover) {
        violations.push({
          path: ['cache', 'multiAz'],
          value: true,
          message: 'multiAz needs automaticFailover: true',
        });
      }
      if (cache.authTokenRequired && !cache.encryption.inTransit) {
        violations.push({
          path: ['cache', 'authTokenRequired'],
          value: true,
          message: 'Redis AUTH needs encryption.inTransit: true',
        });
      }
      return violations;
    },
  }),
];
