/** The Istio objects built from the reference's mesh section. */
import { meshObjects } from '../../../src/infra/kubernetes/manifests/mesh';
import { referenceSpec } from './helpers';

const [gateway, routing, rule] = meshObjects(referenceSpec());

test('the Gateway serves HTTPS for the api and app hosts with the TLS secret', () => {
  expect(gateway).toEqual({
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'Gateway',
    metadata: { name: 'lp-gateway', namespace: 'istio-system' },
    spec: {
      selector: { istio: 'ingressgateway' },
      servers: [
        {
          port: { number: 443, name: 'https', protocol: 'HTTPS' },
          tls: { mode: 'SIMPLE', credentialName: 'lp-tls-secret' },
          hosts: ['api.lp-system.com', 'app.lp-system.com'],
        },
      ],
    },
  });
});

test('the VirtualService routes /graphql with retries and /api/v2, with the port as an Istio PortSelector', () => {
  expect(routing.metadata).toEqual({ name: 'api-routing', namespace: 'istio-system' });
  expect(routing.spec).toEqual({
    hosts: ['api.lp-system.com'],
    gateways: ['lp-gateway'],
    http: [
      {
        match: [{ uri: { prefix: '/graphql' } }],
        route: [
          { destination: { host: 'graphql-gateway.production.svc.cluster.local', port: { number: 4000 } } },
        ],
        timeout: '30s',
        retries: { attempts: 3, perTryTimeout: '10s' },
      },
      {
        match: [{ uri: { prefix: '/api/v2' } }],
        route: [
          { destination: { host: 'api-gateway.production.svc.cluster.local', port: { number: 3000 } } },
        ],
        timeout: '30s',
      },
    ],
  });
});

test("the DestinationRule carries the reference's circuit breaker as outlierDetection", () => {
  expect(rule.spec).toEqual({
    host: 'api-gateway.production.svc.cluster.local',
    trafficPolicy: {
      loadBalancer: { simple: 'LEAST_CONN' },
      connectionPool: {
        tcp: { maxConnections: 100 },
        http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 2 },
      },
      outlierDetection: {
        consecutive5xxErrors: 5,
        interval: '10s',
        baseEjectionTime: '30s',
        maxEjectionPercent: 50,
      },
    },
  });
  expect(JSON.stringify(rule)).not.toContain('circuitBreaker');
});
