/** Who can reach what, and what is encrypted. */
import { cloudFrontSecurityPolicies } from '../../data/cloudfront-security-policies';
import { isOpenToInternet } from '../../values/cidr';
import { everywhere, type PolicyRule } from './policy-rule';

export const securityRules: readonly PolicyRule[] = [
  {
    id: 'eks-public-endpoint-open',
    description: 'The EKS API endpoint is public and open to the whole internet (0.0.0.0/0).',
    severity: { production: 'approve', staging: 'approve', development: 'warn' },
    check: ({ cluster }) =>
      cluster.endpointAccess.public && cluster.endpointAccess.publicAccessCidrs.some(isOpenToInternet)
        ? ['cluster', 'secondary/cluster'].map((component) => ({
            component,
            message:
              'the Kubernetes API is reachable from any address (publicAccessCidrs 0.0.0.0/0); list your office/VPN ranges or turn public access off',
          }))
        : [],
  },
  {
    id: 'encryption-at-rest',
    description: 'Database, replica, cache and node volumes are encrypted at rest.',
    severity: everywhere('deny'),
    check: ({ database, cache, cluster }) => [
      ...(database.storageEncrypted
        ? []
        : [{ component: 'database', message: 'Aurora storage is not encrypted (storageEncrypted: false)' }]),
      ...(database.crossRegionReplica && !database.crossRegionReplica.storageEncrypted
        ? [{ component: 'secondary/database-replica', message: 'the cross-region replica is not encrypted' }]
        : []),
      ...(cache.encryption.atRest
        ? []
        : ['cache', 'secondary/cache'].map((component) => ({
            component,
            message: 'Redis data is not encrypted at rest',
          }))),
      ...cluster.nodeGroups
        .filter((group) => !group.volume.encrypted)
        .flatMap((group) =>
          ['node-groups', 'secondary/node-groups'].map((component) => ({
            component,
            message: `node group ${group.name} has unencrypted volumes`,
          })),
        ),
    ],
  },
  {
    id: 'encryption-in-transit',
    description: 'Redis traffic uses TLS and CloudFront never serves plain HTTP.',
    severity: { production: 'deny', staging: 'approve', development: 'warn' },
    check: ({ cache, cdn }) => [
      ...(cache.encryption.inTransit
        ? []
        : ['cache', 'secondary/cache'].map((component) => ({
            component,
            message: 'Redis traffic is not encrypted in transit',
          }))),
      ...[cdn.defaultCacheBehavior, ...cdn.orderedCacheBehaviors]
        .filter((b) => b.viewerProtocolPolicy === 'allow-all')
        .map((b) => ({
          component: 'cdn',
          message: `${'pathPattern' in b ? b.pathPattern : 'the default behaviour'} serves plain HTTP (viewerProtocolPolicy allow-all)`,
        })),
    ],
  },
  {
    id: 'cdn-tls-policy',
    description: 'CloudFront requires TLSv1.2_2021 or newer from viewers.',
    severity: { production: 'approve', staging: 'warn', development: 'warn' },
    check: ({ cdn }) =>
      cloudFrontSecurityPolicies.indexOf(cdn.viewerCertificate.minimumProtocolVersion) <
      cloudFrontSecurityPolicies.indexOf('TLSv1.2_2021')
        ? [
            {
              component: 'cdn',
              message: `viewers may use ${cdn.viewerCertificate.minimumProtocolVersion}; TLSv1.2_2021 is the current recommendation`,
            },
          ]
        : [],
  },
];
