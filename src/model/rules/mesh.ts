import { defineRule, duplicates, type Violation } from './rule';

export const meshRules = [
  defineRule({
    id: 'mesh-references',
    description:
      'Virtual services name gateways that exist and hosts those gateways serve; HTTPS servers carry a tls block; names are unique.',
    reads: ['mesh'],
    check: ({ mesh }) => {
      const violations: Violation[] = [
        ...duplicates(
          mesh.gateways,
          (g) => `${g.namespace}/${g.name}`,
          (i) => ['mesh', 'gateways', i, 'name'],
          'gateway',
        ),
        ...duplicates(
          mesh.virtualServices,
          (v) => `${v.namespace}/${v.name}`,
          (i) => ['mesh', 'virtualServices', i, 'name'],
          'virtual service',
        ),
        ...duplicates(
          mesh.destinationRules,
          (d) => `${d.namespace}/${d.name}`,
          (i) => ['mesh', 'destinationRules', i, 'name'],
          'destination rule',
        ),
      ];
      mesh.gateways.forEach((gateway, g) =>
        gateway.servers.forEach((server, s) => {
          if (server.port.protocol === 'HTTPS' && !server.tls) {
            violations.push({
              path: ['mesh', 'gateways', g, 'servers', s, 'tls'],
              message: 'an HTTPS server needs tls (mode and credentialName)',
            });
          }
        }),
      );
      mesh.virtualServices.forEach((vs, v) =>
        vs.gateways.forEach((reference, r) => {
          if (reference === 'mesh') return;
          const [namespace, name] = reference.includes('/')
            ? reference.split('/', 2)
            : [vs.namespace, reference];
          const gateway = mesh.gateways.find((g) => g.name === name && g.namespace === namespace);
          const at = ['mesh', 'virtualServices', v, 'gateways', r];
          if (!gateway) {
            violations.push({
              path: at,
              value: reference,
              message: `no gateway ${namespace}/${name} in mesh.gateways`,
            });
            return;
          }
          const served = gateway.servers.flatMap((server) => server.hosts);
          vs.hosts.forEach((host, h) => {
            const ok = served.some((p) => p === host || (p.startsWith('*.') && host.endsWith(p.slice(1))));
            if (!ok)
              violations.push({
                path: ['mesh', 'virtualServices', v, 'hosts', h],
                value: host,
                message: `gateway ${gateway.name} does not serve this host (${served.join(', ')})`,
              });
          });
        }),
      );
      return violations;
    },
  }),
];
