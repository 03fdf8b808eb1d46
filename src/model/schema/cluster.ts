import { z } from 'zod';
import { cidrBlock, dnsLabel, labels, nonNegativeInt, notes, section, versionString } from './primitives';

const TaintSchema = section({
  key: z.string().min(1).max(253),
  value: z.string().max(63).default(''),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

export const NodeGroupSchema = section({
  name: dnsLabel,
  /** More than one type lets a Spot group draw on several capacity pools. */
  instanceTypes: z.array(z.string()).min(1),
  minSize: nonNegativeInt,
  desiredSize: nonNegativeInt,
  maxSize: z.int().min(1),
  volume: section({
    sizeGiB: z.int().min(1).max(16384),
    type: z.enum(['gp3', 'gp2', 'io1', 'io2']),
    encrypted: z.boolean().default(true),
  }),
  spot: z.boolean().default(false),
  labels: labels.default({}),
  taints: z.array(TaintSchema).default([]),
});

const AddonSchema = section({
  name: z.string().regex(/^[a-z0-9-]+$/, 'must be an EKS add-on name such as vpc-cni'),
  version: z.union([
    z.literal('latest'),
    z
      .string()
      .regex(
        /^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/,
        'must be "latest" or an add-on version such as v1.15.1-eksbuild.1',
      ),
  ]),
});

export const ClusterSchema = section({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, 'must be an EKS cluster name (letters, digits, - and _)'),
  kubernetesVersion: versionString(/^1\.\d{1,2}$/, '1.28'),
  endpointAccess: section({
    private: z.boolean(),
    public: z.boolean(),
    publicAccessCidrs: z.array(cidrBlock).default([]),
  }),
  iam: section({
    withOidc: z.boolean().default(true),
    /** Policy name; the account id comes from the credentials lp-infra runs with. */
    serviceRolePermissionsBoundaryPolicy: z
      .string()
      .regex(/^[\w+=,.@-]{1,128}$/, 'must be an IAM policy name')
      .optional(),
  }).prefault({}),
  nodeGroups: z.array(NodeGroupSchema).min(1),
  addons: z.array(AddonSchema).default([]),
  controlPlaneLogging: z
    .array(z.enum(['*', 'api', 'audit', 'authenticator', 'controllerManager', 'scheduler']))
    .default([]),
  notes,
});
