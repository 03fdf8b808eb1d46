import type { ComponentKind } from '../../model';
import { dataAndEdgeDrivers } from './data-and-edge';
import { disasterRecoveryDrivers } from './disaster-recovery';
import type { ComponentDriver } from './driver';
import { foundationDrivers } from './foundation';
import { kubernetesDrivers } from './kubernetes';

/**
 * Every component kind and the driver that builds it. The record is total: a kind of
 * ComponentKind (src/model/components.ts) that no group maps is a compile error here.
 */
export const drivers: { [K in ComponentKind]: ComponentDriver<K> } = {
  ...foundationDrivers,
  ...dataAndEdgeDrivers,
  ...kubernetesDrivers,
  ...disasterRecoveryDrivers,
};

/**
 * The driver of a kind, for a request that comes as JSON (activities). The cast is the one place
 * a request of some kind meets the driver of that kind: the workflows build each request with
 * componentSpec(spec, node.kind), so its spec is that kind's part.
 */
export function driverFor(kind: ComponentKind): ComponentDriver {
  return drivers[kind] as ComponentDriver;
}

/**
 * Whether a kind read from outside the types names a component kind lp-infra knows. A request
 * reaches an activity as JSON from a workflow's input (a child workflow can be started by hand
 * with any node), so the activities check its kind before they look its driver up.
 */
export function isComponentKind(kind: string): kind is ComponentKind {
  return Object.hasOwn(drivers, kind);
}
