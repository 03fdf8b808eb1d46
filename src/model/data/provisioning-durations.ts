import type { ComponentKind } from '../components';

/**
 * Typical wall-clock seconds to create each kind of component on AWS, for the plan's critical
 * path. Planning estimates from AWS's documented and commonly observed creation times (an EKS
 * control plane ~10-15 min, an Aurora cluster with instances ~15-20 min, a CloudFront
 * distribution ~5-15 min); the benchmark harness measures the real figures.
 */
export const typicalProvisioningSeconds: Readonly<Record<ComponentKind, number>> = {
  network: 240,
  kms: 20,
  cluster: 720,
  'node-groups': 360,
  database: 1200,
  'database-replica': 1500,
  cache: 900,
  storage: 30,
  certificate: 300,
  waf: 60,
  cdn: 600,
  dns: 60,
  'dns-failover': 120,
  mesh: 240,
  app: 300,
  monitoring: 300,
};
