import type { ComponentKind } from '../../spec';
import type { ComponentDriver } from './driver';

/** Drivers for network, kms, cluster, node-groups, dns, certificate, dns-failover. */
export const foundationDrivers: Partial<Record<ComponentKind, ComponentDriver>> = {};
