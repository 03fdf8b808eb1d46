/**
 * A component reads what its dependencies handed on with dependencyOutput, typed by the outputs
 * of their kinds (OutputsByKind): a misspelt id or output name does not compile (the checks with
 * @ts-expect-error below are held by tsc), and an output the dependency did not hand on, or left
 * empty, is still a clear error at run time (its stack may lack it).
 */
import type { ComponentOutputs, ComponentRequest } from '../../../src/infra/components/contract';
import { dependencyOutput, kmsKeyArn, sameRegion } from '../../../src/infra/components/request-values';
import { componentGraph } from '../../../src/model';
import { validReference } from '../model/helpers';

function requestFor(id: string, inputs: Record<string, ComponentOutputs>): ComponentRequest {
  const spec = validReference();
  const node = componentGraph(spec).find((n) => n.id === id);
  if (!node) throw new Error(`no component ${id} in the reference`);
  return { spec, node, inputs };
}

const network: ComponentOutputs = { vpcId: 'vpc-1', privateSubnetIds: ['subnet-1', 'subnet-2'] };

test('an output comes back as its kind says, from the component of the id', () => {
  const request = requestFor('secondary/cluster', {
    'secondary/network': network,
    network: { privateSubnetIds: ['subnet-primary'] },
  });
  const subnets: string[] = dependencyOutput(request, sameRegion(request, 'network'), 'privateSubnetIds');
  const vpc: string = dependencyOutput(request, 'secondary/network', 'vpcId');
  expect([subnets, vpc]).toEqual([['subnet-1', 'subnet-2'], 'vpc-1']);
  expect(sameRegion(request, 'network')).toBe('secondary/network');
  expect(sameRegion(requestFor('cluster', {}), 'network')).toBe('network');
});

test('a key of the kms component is its `key:<alias>` output', () => {
  const request = requestFor('database', { kms: { 'key:rds': 'arn:aws:kms:us-east-1:1:key/rds' } });
  expect(kmsKeyArn(request, 'kms', 'rds')).toBe('arn:aws:kms:us-east-1:1:key/rds');
  expect(kmsKeyArn(request, 'kms', undefined)).toBeUndefined();
});

test.each([
  ['missing', {}],
  ['empty', { gatewayHostname: '' }],
])('an output the dependency did not hand on (%s) fails, naming it and the component', (_case, app) => {
  const request = requestFor('dns-failover', { 'secondary/app': app });
  expect(() => dependencyOutput(request, 'secondary/app', 'gatewayHostname')).toThrow(
    "dns-failover needs output 'gatewayHostname' of component 'secondary/app', which it did not get",
  );
});

/** Never called: what tsc refuses. */
export function _doesNotCompile(request: ComponentRequest) {
  // @ts-expect-error -- a network hands on privateSubnetIds, not privateSubnetId
  dependencyOutput(request, 'network', 'privateSubnetId');
  // @ts-expect-error -- there is no secondary dns component
  dependencyOutput(request, 'secondary/dns', 'zoneId');
  // @ts-expect-error -- the mesh has no gateway address; the app has
  dependencyOutput(request, 'mesh', 'gatewayHostname');
  // @ts-expect-error -- a database's port is a number
  const port: string = dependencyOutput(request, 'database', 'port');
  // @ts-expect-error -- a replica has no reader endpoint of its own
  dependencyOutput(request, 'secondary/database-replica', 'readerEndpoint');
  // @ts-expect-error -- a kms output is `key:<alias>`
  dependencyOutput(request, 'kms', 'rds');
  return port;
}
