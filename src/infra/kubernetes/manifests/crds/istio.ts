/**
 * CustomResourceDefinitions for Istio's networking.istio.io Gateway, VirtualService and
 * DestinationRule, for clusters where Istio is not installed yet (the local control plane, a new
 * cluster). No npm package ships Istio's CRDs, so these are written here from Istio's API reference
 * (istio.io/api, networking/v1alpha3: gateway.proto, virtual_service.proto, destination_rule.proto),
 * listing the fields lp-infra writes with Istio's types; every object keeps Istio's other fields.
 * Where Istio's own CRDs are installed, lp-infra leaves them alone (see apply.ts).
 */
import { customResourceDefinition } from './definition';
import { array, boolean, integer, object, string, stringEnum, stringMap, type Schema } from './schema';

const source = 'istio.io/api networking/v1alpha3 (gateway, virtual_service, destination_rule)';
const group = 'networking.istio.io';
const versions = { served: ['v1alpha3', 'v1beta1', 'v1'], storage: 'v1alpha3' };
const categories = ['istio-io', 'networking-istio-io'];

const port = integer(0, 4294967295);

const gatewaySpec = object({
  selector: stringMap(),
  servers: array(
    object(
      {
        port: object({ number: port, protocol: string(), name: string(), targetPort: port }),
        bind: string(),
        hosts: array(string()),
        tls: object({
          httpsRedirect: boolean(),
          mode: stringEnum([
            'PASSTHROUGH',
            'SIMPLE',
            'MUTUAL',
            'AUTO_PASSTHROUGH',
            'ISTIO_MUTUAL',
            'OPTIONAL_MUTUAL',
          ]),
          credentialName: string(),
          minProtocolVersion: string(),
          maxProtocolVersion: string(),
        }),
        name: string(),
      },
      ['port', 'hosts'],
    ),
  ),
});

const stringMatch = object({ exact: string(), prefix: string(), regex: string() });

const httpRoute: Schema = object({
  name: string(),
  match: array(
    object({
      name: string(),
      uri: stringMatch,
      headers: { type: 'object', additionalProperties: stringMatch },
    }),
  ),
  route: array(
    object(
      {
        destination: object({ host: string(), subset: string(), port: object({ number: port }) }, ['host']),
        weight: integer(),
      },
      ['destination'],
    ),
  ),
  timeout: string(),
  retries: object({ attempts: integer(), perTryTimeout: string(), retryOn: string() }),
});

const virtualServiceSpec = object({
  hosts: array(string()),
  gateways: array(string()),
  http: array(httpRoute),
  exportTo: array(string()),
});

const destinationRuleSpec = object(
  {
    host: string(),
    trafficPolicy: object({
      loadBalancer: object({
        simple: stringEnum([
          'UNSPECIFIED',
          'LEAST_CONN',
          'RANDOM',
          'PASSTHROUGH',
          'ROUND_ROBIN',
          'LEAST_REQUEST',
        ]),
      }),
      connectionPool: object({
        tcp: object({ maxConnections: integer(), connectTimeout: string() }),
        http: object({
          http1MaxPendingRequests: integer(),
          http2MaxRequests: integer(),
          maxRequestsPerConnection: integer(),
          maxRetries: integer(),
        }),
      }),
      outlierDetection: object({
        consecutiveErrors: integer(),
        consecutive5xxErrors: integer(0, 4294967295),
        interval: string(),
        baseEjectionTime: string(),
        maxEjectionPercent: integer(),
        minHealthPercent: integer(),
      }),
    }),
    exportTo: array(string()),
  },
  ['host'],
);

export const istioCrds = [
  customResourceDefinition(
    { group, kind: 'Gateway', plural: 'gateways', shortNames: ['gw'], categories },
    versions,
    gatewaySpec,
    source,
  ),
  customResourceDefinition(
    { group, kind: 'VirtualService', plural: 'virtualservices', shortNames: ['vs'], categories },
    versions,
    virtualServiceSpec,
    source,
  ),
  customResourceDefinition(
    { group, kind: 'DestinationRule', plural: 'destinationrules', shortNames: ['dr'], categories },
    versions,
    destinationRuleSpec,
    source,
  ),
];
