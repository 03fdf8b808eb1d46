import type { ComponentKind } from '../../spec';
import type { ComponentDriver } from './driver';

/** Drivers for database, database-replica, cache, storage, waf, cdn. */
export const dataAndEdgeDrivers: Partial<Record<ComponentKind, ComponentDriver>> = {};
