import type { ComponentRequest } from './contract';
import { describeReplicationGroup } from '../aws/elasticache/replication-group';
import { HandlerResource } from '../handler-resource';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import {
  dependencyOutput,
  kmsKeyArn,
  regionOf,
  resourceTags,
  sameRegion,
  secretName,
} from './request-values';

/**
 * A Redis replication group (cluster mode disabled) with its subnet group, parameter group,
 * slow-log group and AUTH token. The same component serves both regions: the secondary
 * one takes its node type and count from regions.secondary.cache, everything else from
 * the cache section.
 */
function sizeOf(request: ComponentRequest<'cache'>) {
  const { cache } = request.spec;
  const size = request.node.region === 'primary' ? cache : request.spec.regions.secondary.cache;
  return { nodeType: size.nodeType, numCacheClusters: size.numCacheClusters };
}

function program(request: ComponentRequest<'cache'>) {
  const { cache } = request.spec;
  const region = regionOf(request);
  const tags = resourceTags(request);
  const network = sameRegion(request, 'network');
  const { nodeType, numCacheClusters } = sizeOf(request);
  const replicated = numCacheClusters > 1; // failover and Multi-AZ need a replica
  // The spec's cache key lives in the primary region: the secondary group, with an AUTH token
  // of its own, has no key of the spec's, so AWS's own keys there.
  const kmsKeyId =
    request.node.region === 'primary' ? kmsKeyArn(request, 'kms', cache.encryption.kmsKey) : undefined;

  const subnetGroup = new HandlerResource('aws:cache-subnet-group', 'subnet-group', {
    region,
    props: {
      name: `${cache.replicationGroupId}-subnets`,
      description: `Private subnets of ${cache.replicationGroupId}`,
      subnetIds: dependencyOutput(request, network, 'privateSubnetIds'),
      tags,
    },
  });
  const parameterGroup = new HandlerResource('aws:cache-parameter-group', 'parameter-group', {
    region,
    props: {
      name: cache.parameterGroup.name,
      family: cache.parameterGroup.family,
      description: `Parameters of ${cache.replicationGroupId}`,
      parameters: cache.parameterGroup.parameters,
      tags,
    },
  });
  const slowLogGroup =
    cache.slowLog?.destinationType === 'cloudwatch-logs'
      ? new HandlerResource('aws:log-group', 'slow-log', {
          region,
          props: { name: cache.slowLog.destination, tags },
        })
      : undefined;
  const authToken = cache.authTokenRequired
    ? new HandlerResource('aws:generated-secret', 'auth-token', {
        region,
        props: {
          name: secretName(request, 'auth-token'),
          description: `AUTH token of ${cache.replicationGroupId}`,
          length: 64,
          kmsKeyId,
          tags,
        },
      })
    : undefined;

  const group = new HandlerResource(
    'aws:replication-group',
    'replication-group',
    {
      region,
      props: {
        replicationGroupId: cache.replicationGroupId,
        description: cache.description,
        engine: cache.engine,
        nodeType,
        port: cache.port,
        numCacheClusters,
        automaticFailover: cache.automaticFailover && replicated,
        multiAz: cache.multiAz && replicated,
        subnetGroupName: subnetGroup.id,
        securityGroupIds: [dependencyOutput(request, network, 'cacheSecurityGroupId')],
        parameterGroupName: parameterGroup.id,
        atRestEncryption: cache.encryption.atRest,
        // Redis AUTH needs TLS: a required token turns in-transit encryption on.
        transitEncryption: cache.encryption.inTransit || cache.authTokenRequired,
        kmsKeyId,
        authTokenSecretArn: authToken?.outs.apply((outs) => outs.arn),
        snapshotRetentionDays: cache.snapshot.retentionDays,
        snapshotWindow: cache.snapshot.window,
        maintenanceWindow: cache.maintenanceWindow,
        slowLog: cache.slowLog,
        tags,
      },
    },
    { dependsOn: slowLogGroup ? [slowLogGroup] : [] },
  );

  return {
    replicationGroupId: group.id,
    primaryEndpoint: group.outs.apply((outs) => outs.primaryEndpoint),
    readerEndpoint: group.outs.apply((outs) => outs.readerEndpoint),
    port: group.outs.apply((outs) => outs.port),
    authTokenSecretArn: authToken ? authToken.outs.apply((outs) => outs.arn) : '',
  } satisfies ProgramOutputs<'cache'>;
}

export const cacheDriver = pulumiDriver<'cache'>({
  program,
  notEmulated: (request) => {
    const { replicationGroupId, parameterGroup } = request.spec.cache;
    return [
      `create cache parameter group ${parameterGroup.name} (${parameterGroup.family}) and set its parameters`,
      `delete cache parameter group ${parameterGroup.name}`,
      `delete cache subnet group ${replicationGroupId}-subnets`,
      `wait until replication group ${replicationGroupId} is deleted`,
    ];
  },
  async ready(request) {
    const id = request.spec.cache.replicationGroupId;
    const group = await describeReplicationGroup(id, regionOf(request));
    if (group?.Status !== 'available')
      return { ready: false, detail: `replication group ${id} is ${group?.Status ?? 'missing'}` };
    return {
      ready: true,
      detail: `replication group ${id} available with ${group.MemberClusters?.length ?? 0} nodes`,
    };
  },
});
