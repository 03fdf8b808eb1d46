import type { ComponentKind } from '../../spec';
import { dataAndEdgeDrivers } from './data-and-edge';
import { disasterRecoveryDrivers } from './disaster-recovery';
import type { ComponentDriver } from './driver';
import { foundationDrivers } from './foundation';
import { kubernetesDrivers } from './kubernetes';

/**
 * Every component kind and the driver that builds it. A kind missing here fails the
 * run at its plan step, before anything of it is made.
 */
export const drivers: Partial<Record<ComponentKind, ComponentDriver>> = {
  ...foundationDrivers,
  ...dataAndEdgeDrivers,
  ...kubernetesDrivers,
  ...disasterRecoveryDrivers,
};

export function driverFor(kind: ComponentKind): ComponentDriver | undefined {
  return drivers[kind];
}
