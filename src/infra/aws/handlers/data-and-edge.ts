import type { ResourceHandler } from '../../pulumi/resource-handler';
import { cacheParameterGroup } from '../elasticache/cache-parameter-group';
import { cacheSubnetGroup } from '../elasticache/cache-subnet-group';
import { replicationGroup } from '../elasticache/replication-group';
import { distribution } from '../cloudfront/distribution';
import { originAccess } from '../cloudfront/origin-access';
import { logGroup } from '../logs/log-group';
import { auroraCluster } from '../rds/aurora-cluster';
import { auroraInstance } from '../rds/aurora-instance';
import { dbSubnetGroup } from '../rds/db-subnet-group';
import { globalCluster } from '../rds/global-cluster';
import { bucket } from '../s3/bucket';
import { bucketPolicy } from '../s3/bucket-policy';
import { generatedSecret, secretReplica } from '../secrets/generated-secret';
import { webAcl } from '../wafv2/web-acl';

/** AWS resource handlers by kind (`aws:<name>`); see src/infra/handlers.ts. */
export const dataAndEdgeHandlers = {
  'aws:generated-secret': generatedSecret,
  'aws:secret-replica': secretReplica,
  'aws:db-subnet-group': dbSubnetGroup,
  'aws:aurora-cluster': auroraCluster,
  'aws:aurora-instance': auroraInstance,
  'aws:aurora-global-cluster': globalCluster,
  'aws:cache-subnet-group': cacheSubnetGroup,
  'aws:cache-parameter-group': cacheParameterGroup,
  'aws:log-group': logGroup,
  'aws:replication-group': replicationGroup,
  'aws:s3-bucket': bucket,
  'aws:s3-bucket-policy': bucketPolicy,
  'aws:waf-web-acl': webAcl,
  'aws:cloudfront-origin-access': originAccess,
  'aws:cloudfront-distribution': distribution,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every kind has its own props and outs
} satisfies Record<string, ResourceHandler<any, any>>;
