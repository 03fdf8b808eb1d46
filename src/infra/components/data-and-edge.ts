import type { ComponentKind } from '../../model';
import { cacheDriver } from './cache';
import { cdnDriver } from './cdn';
import { databaseDriver } from './database';
import { databaseReplicaDriver } from './database-replica';
import type { ComponentDriver } from './driver';
import { storageDriver } from './storage';
import { wafDriver } from './waf';

/** Drivers for database, database-replica, cache, storage, waf, cdn. */
export const dataAndEdgeDrivers = {
  database: databaseDriver,
  'database-replica': databaseReplicaDriver,
  cache: cacheDriver,
  storage: storageDriver,
  waf: wafDriver,
  cdn: cdnDriver,
} satisfies { [K in ComponentKind]?: ComponentDriver<K> };
