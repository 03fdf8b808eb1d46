import { join } from 'node:path';
import { newestAddonVersion } from '../../../src/infra/aws/eks/addon-version';
import {
  logTypesOf,
  publicAccessCidrsOf,
  serviceAccountTrustPolicy,
} from '../../../src/infra/components/cluster-settings';
import { eksTaints, nodeGroupsFor } from '../../../src/infra/components/node-group-settings';
import { loadSpecFile } from '../../../src/model';

const reference = loadSpecFile(join(__dirname, '../../../environments/reference.yaml'));
const cluster = reference.cluster;

describe('cluster settings', () => {
  test('"*" enables every control-plane log type; a list enables just those, in EKS order', () => {
    expect(logTypesOf(cluster)).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(logTypesOf({ ...cluster, controlPlaneLogging: ['scheduler', 'api'] })).toEqual([
      'api',
      'scheduler',
    ]);
    expect(logTypesOf({ ...cluster, controlPlaneLogging: [] })).toEqual([]);
  });

  test('the public endpoint is open to the listed CIDRs, to everyone when none are listed, to no one when off', () => {
    const access = (publicEndpoint: boolean, publicAccessCidrs: string[]) =>
      publicAccessCidrsOf({
        ...cluster,
        endpointAccess: { private: true, public: publicEndpoint, publicAccessCidrs },
      });
    expect(access(true, ['203.0.113.0/24'])).toEqual(['203.0.113.0/24']);
    expect(access(true, [])).toEqual(['0.0.0.0/0']);
    expect(access(false, ['203.0.113.0/24'])).toEqual([]);
  });

  test('a service account role trusts exactly one service account through the OIDC provider', () => {
    const policy = JSON.parse(
      serviceAccountTrustPolicy(
        'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC',
        'https://oidc.eks.us-east-1.amazonaws.com/id/ABC',
        'kube-system',
        'ebs-csi-controller-sa',
      ),
    );
    expect(policy.Statement[0].Condition.StringEquals).toEqual({
      'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub':
        'system:serviceaccount:kube-system:ebs-csi-controller-sa',
      'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
    });
  });

  test('the newest add-on version is found by number, not by the order AWS lists them in', () => {
    expect(
      newestAddonVersion([
        'v1.9.3-eksbuild.7',
        'v1.10.1-eksbuild.2',
        'v1.10.1-eksbuild.11',
        'v1.10.0-eksbuild.1',
      ]),
    ).toBe('v1.10.1-eksbuild.11');
    expect(newestAddonVersion(['v1.2.0', 'v1.2.0-eksbuild.1'])).toBe('v1.2.0-eksbuild.1');
    expect(newestAddonVersion([])).toBeUndefined();
  });
});

describe('node group settings', () => {
  test('the primary region runs the node groups as the spec gives them', () => {
    expect(nodeGroupsFor(reference, 'primary')).toBe(cluster.nodeGroups);
  });

  test('the secondary region runs them at standby sizes, keeping the primary maximum and shape', () => {
    const standby = nodeGroupsFor(reference, 'secondary');
    expect(standby.map((g) => [g.name, g.minSize, g.desiredSize, g.maxSize])).toEqual([
      ['system-nodes', 2, 2, 10],
      ['application-nodes', 2, 2, 50],
      ['memory-optimized', 1, 1, 20],
    ]);
    expect(standby[1].instanceTypes).toEqual(cluster.nodeGroups[1].instanceTypes);
  });

  test('a node group the standby section does not list keeps the primary sizes', () => {
    const spec = structuredClone(reference);
    spec.regions.secondary.standby.nodeGroups = [];
    expect(nodeGroupsFor(spec, 'secondary').map((g) => g.desiredSize)).toEqual([3, 10, 3]);
  });

  test('taint effects are written the way EKS takes them', () => {
    expect(eksTaints(cluster.nodeGroups[0])).toEqual([
      { key: 'system', value: 'true', effect: 'NO_SCHEDULE' },
    ]);
    const effects = eksTaints({
      ...cluster.nodeGroups[0],
      taints: [
        { key: 'a', value: '', effect: 'PreferNoSchedule' },
        { key: 'b', value: 'x', effect: 'NoExecute' },
      ],
    }).map((taint) => taint.effect);
    expect(effects).toEqual(['PREFER_NO_SCHEDULE', 'NO_EXECUTE']);
  });
});
