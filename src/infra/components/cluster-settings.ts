import type { EnvironmentSpec } from '../../model';

type ClusterSpec = EnvironmentSpec['cluster'];

const controlPlaneLogTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** The control-plane log types to enable: `*` stands for all of them. */
export function logTypesOf(cluster: ClusterSpec): string[] {
  const asked = cluster.controlPlaneLogging;
  return asked.includes('*')
    ? controlPlaneLogTypes
    : controlPlaneLogTypes.filter((type) => asked.includes(type as never));
}

/** Who may reach the public endpoint: EKS reads an empty list as everyone, and reports it so. */
export function publicAccessCidrsOf(cluster: ClusterSpec): string[] {
  if (!cluster.endpointAccess.public) return [];
  return cluster.endpointAccess.publicAccessCidrs.length
    ? cluster.endpointAccess.publicAccessCidrs
    : ['0.0.0.0/0'];
}

/** A trust policy that lets one AWS service assume the role. */
export function serviceTrustPolicy(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}

/** A trust policy that lets one Kubernetes service account assume the role through the cluster's OIDC provider. */
export function serviceAccountTrustPolicy(
  providerArn: string,
  issuer: string,
  namespace: string,
  serviceAccount: string,
): string {
  const provider = issuer.replace(/^https:\/\//, '');
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${provider}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${provider}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  });
}
