import type { RegionRole, SpecWith } from '../../model';
import type { KubeApi } from './api';
import type { KubeObject } from './objects';

interface ServiceObject extends KubeObject {
  spec?: { type?: string; selector?: Record<string, string> };
  status?: { loadBalancer?: { ingress?: { hostname?: string; ip?: string }[] } };
}

/**
 * The name a region's ingress gateway answers on when no load balancer reports one: the
 * local emulated cloud runs no load balancer controller, so the gateway Service never gets
 * an external address there. `<gateway>.<region>.<zone>`, e.g. lp-gateway.us-west-2.lp-system.com.
 */
export function standInGatewayHost(spec: SpecWith<'mesh' | 'dns'>, region: RegionRole): string {
  const gateway = spec.mesh.gateways[0]?.name ?? 'gateway';
  return `${gateway}.${spec.regions[region].region}.${spec.dns.zone}`;
}

/**
 * The external address of the region's ingress gateway: the load balancer hostname (or IP)
 * in the status of the LoadBalancer Service that selects the mesh gateway's pods. In an
 * emulated environment without one, the stand-in name; otherwise undefined until the load
 * balancer exists (the DNS records then wait for it).
 */
export async function gatewayAddress(
  api: KubeApi,
  spec: SpecWith<'mesh' | 'dns'>,
  region: RegionRole,
): Promise<string | undefined> {
  const gateway = spec.mesh.gateways[0];
  if (gateway) {
    const services = await api.list<ServiceObject>('v1', 'Service', { namespace: gateway.namespace });
    const selects = (service: ServiceObject) =>
      Object.entries(gateway.selector).every(([key, value]) => service.spec?.selector?.[key] === value);
    const ingress = services
      .filter((service) => service.spec?.type === 'LoadBalancer' && selects(service))
      .flatMap((service) => service.status?.loadBalancer?.ingress ?? [])[0];
    const address = ingress?.hostname ?? ingress?.ip;
    if (address) return address;
  }
  return spec.emulated ? standInGatewayHost(spec, region) : undefined;
}
