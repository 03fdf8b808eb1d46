import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentSpec } from '../../model';
import { addonServiceAccounts, clusterRolePolicies, nodeRolePolicies } from '../aws/eks/managed-policies';
import { HandlerResource } from '../handler-resource';
import { serviceAccountTrustPolicy, serviceTrustPolicy } from './cluster-settings';
import { awsManagedPolicy } from './regional-values';

export interface ClusterScope {
  region: string;
  /** The EKS cluster's name; IAM names are made from it (IAM is global: it tells the regions apart). */
  name: string;
  tags: Record<string, string>;
}

/** The role `<cluster>-<purpose>` (Pulumi name `<purpose>-role`). */
function role(
  scope: ClusterScope,
  purpose: string,
  trust: pulumi.Input<string>,
  policies: string[],
  boundary = '',
) {
  return new HandlerResource('aws:iam-role', `${purpose}-role`, {
    region: scope.region,
    props: {
      roleName: `${scope.name}-${purpose}`,
      assumeRolePolicy: trust,
      managedPolicyArns: policies.map((policy) => awsManagedPolicy(scope.region, policy)),
      permissionsBoundaryPolicy: boundary,
      tags: scope.tags,
    },
  });
}

/** The role EKS runs the control plane with (under the spec's permissions boundary), and the nodes' role. */
export function clusterRoles(scope: ClusterScope, cluster: EnvironmentSpec['cluster']) {
  const boundary = cluster.iam.serviceRolePermissionsBoundaryPolicy ?? '';
  return {
    cluster: role(scope, 'cluster', serviceTrustPolicy('eks.amazonaws.com'), clusterRolePolicies, boundary),
    node: role(scope, 'node', serviceTrustPolicy('ec2.amazonaws.com'), nodeRolePolicies),
  };
}

/** The role an add-on's controller assumes through its service account, if it calls AWS APIs (else ''). */
export function addonRoleArn(
  scope: ClusterScope,
  addonName: string,
  oidc: { providerArn: pulumi.Output<string>; issuer: pulumi.Output<string> } | undefined,
): pulumi.Input<string> {
  const account = addonServiceAccounts[addonName];
  if (!account || !oidc) return '';
  const trust = oidc.providerArn.apply((arn) =>
    oidc.issuer.apply((url) =>
      serviceAccountTrustPolicy(arn, url, account.namespace, account.serviceAccount),
    ),
  );
  return role(scope, addonName, trust, [account.policy]).outs.apply((outs) => outs.arn);
}
