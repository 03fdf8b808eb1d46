/** The Kubernetes version against the EKS release calendar. */
import { eksSupportStatus, eksVersionTable } from '../../data/eks-versions';
import { everywhere, type PolicyRule } from './policy-rule';

export const kubernetesVersionRules: readonly PolicyRule[] = [
  {
    id: 'eks-version-unsupported',
    description:
      'The Kubernetes version is past the end of EKS extended support: EKS no longer creates such clusters.',
    severity: { production: 'deny', staging: 'deny', development: 'warn' },
    check: ({ cluster }, today) => {
      const row = eksVersionTable.versions[cluster.kubernetesVersion];
      return eksSupportStatus(cluster.kubernetesVersion, today) === 'ended'
        ? ['cluster', 'secondary/cluster'].map((component) => ({
            component,
            message: `Kubernetes ${cluster.kubernetesVersion} left EKS extended support on ${row?.endOfExtendedSupport}; choose a version in support (${supportedVersions(today).join(', ')})`,
          }))
        : [];
    },
  },
  {
    id: 'eks-extended-support',
    description: 'The Kubernetes version is in EKS extended support, billed at the extended-support rate.',
    severity: everywhere('warn'),
    check: ({ cluster }, today) => {
      const row = eksVersionTable.versions[cluster.kubernetesVersion];
      return eksSupportStatus(cluster.kubernetesVersion, today) === 'extended'
        ? ['cluster', 'secondary/cluster'].map((component) => ({
            component,
            message: `Kubernetes ${cluster.kubernetesVersion} is in extended support until ${row?.endOfExtendedSupport} (6x the control-plane price)`,
          }))
        : [];
    },
  },
  {
    id: 'eks-version-unknown',
    description: 'The Kubernetes version is not in the shipped EKS release calendar.',
    severity: everywhere('warn'),
    check: ({ cluster }, today) =>
      eksSupportStatus(cluster.kubernetesVersion, today) === 'unknown'
        ? [
            {
              component: 'cluster',
              message: `Kubernetes ${cluster.kubernetesVersion} is not in the EKS calendar lp-infra ships (as of ${eksVersionTable.asOf})`,
            },
          ]
        : [],
  },
];

function supportedVersions(today: string): string[] {
  return Object.keys(eksVersionTable.versions).filter((v) =>
    ['standard', 'extended'].includes(eksSupportStatus(v, today)),
  );
}
