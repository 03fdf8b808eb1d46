/** The loss of a zone, a Spot pool or a region stays survivable. */
import { everywhere, type PolicyRule } from './policy-rule';

export const resilienceRules: readonly PolicyRule[] = [
  {
    id: 'spot-diversification',
    description: 'A Spot node group draws on at least two instance types.',
    severity: everywhere('warn'),
    check: ({ cluster }) =>
      cluster.nodeGroups
        .filter((g) => g.spot && g.instanceTypes.length < 2)
        .map((g) => ({
          component: 'node-groups',
          message: `Spot node group ${g.name} has one instance type; a second keeps capacity when one pool runs dry`,
        })),
  },
  {
    id: 'nat-single-point-of-failure',
    description: 'Production networks have a NAT gateway per availability zone.',
    severity: { production: 'warn', staging: null, development: null },
    check: ({ network, regions }) =>
      [
        { component: 'network', mode: network.natGateway },
        { component: 'secondary/network', mode: regions.secondary.network.natGateway },
      ]
        .filter((n) => n.mode !== 'highly-available')
        .map((n) => ({
          component: n.component,
          message: `natGateway ${n.mode}: private subnets lose egress when that one zone fails`,
        })),
  },
  {
    id: 'automatic-failover',
    description: 'Production failover waits for a person unless the spec says otherwise.',
    severity: { production: 'warn', staging: null, development: null },
    check: ({ disasterRecovery }) =>
      disasterRecovery.failoverApproval === 'automatic'
        ? [{ component: 'dns-failover', message: 'failover to the secondary region starts without approval' }]
        : [],
  },
  {
    id: 'failure-detection-within-rto',
    description: 'Detecting a failed primary (interval x threshold) leaves time to fail over within the RTO.',
    severity: everywhere('warn'),
    check: ({ disasterRecovery: dr }) => {
      const detectionSeconds = dr.healthCheck.intervalSeconds * dr.healthCheck.failureThreshold;
      return detectionSeconds >= dr.rtoMinutes * 60
        ? [
            {
              component: 'dns-failover',
              message: `detecting a failure takes ${detectionSeconds}s, as long as the whole RTO of ${dr.rtoMinutes} min`,
            },
          ]
        : [];
    },
  },
];
