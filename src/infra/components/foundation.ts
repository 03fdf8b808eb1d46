import type { ComponentKind } from '../../model';
import { certificateDriver } from './certificate';
import { clusterDriver } from './cluster';
import { dnsDriver } from './dns';
import type { ComponentDriver } from './driver';
import { kmsDriver } from './kms';
import { networkDriver } from './network';
import { nodeGroupsDriver } from './node-groups';

/** Drivers for network, kms, cluster, node-groups, dns, certificate (primary and secondary region). */
export const foundationDrivers = {
  network: networkDriver,
  kms: kmsDriver,
  cluster: clusterDriver,
  'node-groups': nodeGroupsDriver,
  dns: dnsDriver,
  certificate: certificateDriver,
} satisfies { [K in ComponentKind]?: ComponentDriver<K> };
