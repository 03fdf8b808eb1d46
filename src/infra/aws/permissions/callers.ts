/**
 * AWS actions of the modules outside src/infra/aws that call AWS themselves, by path under
 * src/. Modules in src/infra/aws declare theirs beside their calls (`awsActions`); the unit
 * test holds both to the calls in the sources.
 */
import type { AwsGrant } from './grants';

export const callerActions: Record<string, AwsGrant[]> = {
  'activities/platform.ts': [{ actions: ['sts:GetCallerIdentity', 'ec2:DescribeAvailabilityZones'] }],
  'activities/disaster-recovery.ts': [{ actions: ['eks:DescribeCluster'] }],
  'infra/components/storage.ts': [{ actions: ['sts:GetCallerIdentity'] }],
  'infra/components/aurora-readiness.ts': [{ actions: ['rds:DescribeDBInstances'] }],
  // The destroy records the final snapshot's name on the cluster.
  'infra/components/database.ts': [{ actions: ['rds:AddTagsToResource'], when: 'tagged' }],
  'infra/components/cdn.ts': [{ actions: ['cloudfront:GetDistribution'] }],
  'infra/components/dns-failover.ts': [
    { actions: ['route53:GetHealthCheck', 'route53:GetHealthCheckStatus'] },
  ],
  'infra/disaster-recovery/cluster.ts': [
    { actions: ['eks:DescribeNodegroup'] },
    { actions: ['eks:UpdateNodegroupConfig'], when: 'tagged' },
  ],
  'infra/disaster-recovery/database.ts': [
    { actions: ['rds:DescribeGlobalClusters', 'cloudwatch:GetMetricStatistics'] },
    { actions: ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'], when: 'tagged' },
    { actions: ['rds:SwitchoverGlobalCluster', 'rds:FailoverGlobalCluster'], on: ['global-cluster'] },
  ],
  'infra/disaster-recovery/dns.ts': [
    {
      actions: [
        'route53:ListHealthChecks',
        'route53:GetHealthCheck',
        'route53:GetHealthCheckStatus',
        'route53:ListResourceRecordSets',
      ],
    },
    { actions: ['route53:UpdateHealthCheck'], on: ['healthcheck'] },
  ],
  'infra/kubernetes/connection-secrets.ts': [{ actions: ['secretsmanager:GetSecretValue'], when: 'tagged' }],
  // The cluster token is a presigned GetCallerIdentity, which needs no permission.
  'infra/kubernetes/kubeconfig.ts': [
    { actions: ['eks:DescribeCluster'], implied: 'DescribeCluster as a signed REST call (eksRequest)' },
  ],
};
