/** Istio Gateway, VirtualService and DestinationRule objects from the spec's mesh section. */
import type { EnvironmentSpec, SpecWith } from '../../../model';
import type { KubeObject } from '../objects';
import { compact } from './compact';

type Mesh = EnvironmentSpec['mesh'];
type DestinationRuleSpec = Mesh['destinationRules'][number];

export const istioApiVersion = 'networking.istio.io/v1alpha3';

export function gateway(gw: Mesh['gateways'][number]): KubeObject {
  return compact({
    apiVersion: istioApiVersion,
    kind: 'Gateway',
    metadata: { name: gw.name, namespace: gw.namespace },
    spec: {
      selector: gw.selector,
      servers: gw.servers.map((server) => ({
        port: { number: server.port.number, name: server.port.name, protocol: server.port.protocol },
        tls: server.tls && { mode: server.tls.mode, credentialName: server.tls.credentialName },
        hosts: server.hosts,
      })),
    },
  });
}

export function virtualService(vs: Mesh['virtualServices'][number]): KubeObject {
  return compact({
    apiVersion: istioApiVersion,
    kind: 'VirtualService',
    metadata: { name: vs.name, namespace: vs.namespace },
    spec: {
      hosts: vs.hosts,
      gateways: vs.gateways.length ? vs.gateways : undefined,
      http: vs.http.map((route) => ({
        match: route.match.length ? route.match : undefined,
        route: route.route.map(({ destination, weight }) => ({
          destination: {
            host: destination.host,
            subset: destination.subset,
            port: { number: destination.port },
          },
          weight,
        })),
        timeout: route.timeout,
        retries: route.retries,
      })),
    },
  });
}

/** The reference's `circuitBreaker` settings are written as Istio's outlierDetection. */
export function destinationRule(dr: DestinationRuleSpec): KubeObject {
  const policy = dr.trafficPolicy;
  return compact({
    apiVersion: istioApiVersion,
    kind: 'DestinationRule',
    metadata: { name: dr.name, namespace: dr.namespace },
    spec: {
      host: dr.host,
      trafficPolicy: {
        loadBalancer: policy.loadBalancer && { simple: policy.loadBalancer },
        connectionPool: policy.connectionPool,
        outlierDetection: policy.outlierDetection,
      },
    },
  });
}

export function meshObjects(spec: SpecWith<'mesh'>): KubeObject[] {
  return [
    ...spec.mesh.gateways.map(gateway),
    ...spec.mesh.virtualServices.map(virtualService),
    ...spec.mesh.destinationRules.map(destinationRule),
  ];
}
