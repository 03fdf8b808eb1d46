import { isSecretKey } from '../secret-keys';
import type { PathSegment } from '../paths';
import type { EnvironmentSpec } from '../schema';
import { quantityValue } from '../values/quantities';
import { defineRule, duplicates, type Violation } from './rule';

type Application = EnvironmentSpec['applications'][number];
type Resources = Application['resources'];

function portReferences(app: Application, at: PathSegment[]): Violation[] {
  const references: { path: PathSegment[]; port: number | string }[] = [
    ...(app.livenessProbe ? [{ path: [...at, 'livenessProbe', 'port'], port: app.livenessProbe.port }] : []),
    ...(app.readinessProbe
      ? [{ path: [...at, 'readinessProbe', 'port'], port: app.readinessProbe.port }]
      : []),
    ...(app.metrics ? [{ path: [...at, 'metrics', 'port'], port: app.metrics.port }] : []),
    ...app.service.ports.map((p, i) => ({
      path: [...at, 'service', 'ports', i, 'targetPort'],
      port: p.targetPort,
    })),
  ];
  const declared = app.containerPorts.map((p) => `${p.containerPort} (${p.name})`).join(', ');
  return references.flatMap(({ path, port }) =>
    app.containerPorts.some((p) => p.containerPort === port || p.name === port)
      ? []
      : [{ path, value: port, message: `not a container port of ${app.name}; declared: ${declared}` }],
  );
}

export function resourceViolations(resources: Resources, at: PathSegment[]): Violation[] {
  return (['cpu', 'memory'] as const).flatMap((resource) => {
    const limit = resources.limits?.[resource];
    const request = quantityValue(resources.requests[resource]);
    const limitValue = limit === undefined ? undefined : quantityValue(limit);
    return request !== undefined && limitValue !== undefined && request > limitValue
      ? [
          {
            path: [...at, 'requests', resource],
            value: resources.requests[resource],
            message: `request exceeds the limit ${limit}`,
          },
        ]
      : [];
  });
}

const secretLooking = (name: string) =>
  isSecretKey(name) || /(PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i.test(name);

function envViolations(app: Application, at: PathSegment[]): Violation[] {
  return [
    ...duplicates(
      app.env,
      (e) => e.name,
      (i) => [...at, 'env', i, 'name'],
      'environment variable',
    ),
    ...app.env.flatMap((env, i): Violation[] => {
      const path = [...at, 'env', i];
      if ((env.value === undefined) === (env.secretRef === undefined)) {
        return [{ path, message: 'give either value or secretRef' }];
      }
      if (env.value !== undefined && secretLooking(env.name)) {
        return [
          {
            path: [...path, 'value'],
            message: `${env.name} looks like a secret: use secretRef; lp-infra keeps secret values in Secrets Manager, never in the spec`,
          },
        ];
      }
      return [];
    }),
  ];
}

export const applicationRules = [
  defineRule({
    id: 'application-wiring',
    description:
      'HPA minReplicas <= maxReplicas; probes, metrics and Service target ports name container ports; requests do not ' +
      'exceed limits; env vars have a value or a secretRef, and secret-looking ones use secretRef; names are unique.',
    reads: ['applications', 'monitoring'],
    check: ({ applications, monitoring }) => [
      ...duplicates(
        applications,
        (a) => `${a.namespace}/${a.name}`,
        (i) => ['applications', i, 'name'],
        'application',
      ),
      ...applications.flatMap((app, i) => {
        const at: PathSegment[] = ['applications', i];
        const hpa = app.autoscaling;
        return [
          ...(hpa && hpa.minReplicas > hpa.maxReplicas
            ? [
                {
                  path: [...at, 'autoscaling', 'minReplicas'],
                  value: hpa.minReplicas,
                  message: `minReplicas must not exceed maxReplicas (${hpa.maxReplicas})`,
                },
              ]
            : []),
          ...duplicates(
            app.containerPorts,
            (p) => p.name,
            (j) => [...at, 'containerPorts', j, 'name'],
            'container port name',
          ),
          ...portReferences(app, at),
          ...resourceViolations(app.resources, [...at, 'resources']),
          ...envViolations(app, at),
        ];
      }),
      ...resourceViolations(monitoring.prometheus.resources, ['monitoring', 'prometheus', 'resources']),
      ...resourceViolations(monitoring.grafana.resources, ['monitoring', 'grafana', 'resources']),
    ],
  }),
];
