import type { ComponentKind } from '../../model';
import { dnsFailoverDriver } from './dns-failover';
import type { ComponentDriver } from './driver';

/** Drivers of the disaster-recovery components: dns-failover. */
export const disasterRecoveryDrivers = {
  'dns-failover': dnsFailoverDriver,
} satisfies { [K in ComponentKind]?: ComponentDriver<K> };
