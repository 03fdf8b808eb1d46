/**
 * The AWS managed policies of the EKS roles lp-infra makes (src/infra/components/cluster-iam.ts
 * attaches them) and the only ones the worker's own policy lets it attach (permissions/policy.ts).
 */

/** Add-ons whose controller calls AWS APIs through its own service account role, and the policy it needs. */
export const addonServiceAccounts: Record<
  string,
  { namespace: string; serviceAccount: string; policy: string }
> = {
  'aws-ebs-csi-driver': {
    namespace: 'kube-system',
    serviceAccount: 'ebs-csi-controller-sa',
    policy: 'service-role/AmazonEBSCSIDriverPolicy',
  },
};

export const clusterRolePolicies = ['AmazonEKSClusterPolicy'];
export const nodeRolePolicies = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
];
