/** Settings that are valid but do not do what they seem to. */
import { goDurationSeconds } from '../../values/durations';
import { everywhere, type PolicyRule } from './policy-rule';

export const consistencyRules: readonly PolicyRule[] = [
  {
    id: 'serverless-scaling-unused',
    description: 'serverlessV2Scaling only acts on db.serverless instances.',
    severity: everywhere('warn'),
    check: ({ database }) =>
      database.serverlessV2Scaling && database.instanceClass !== 'db.serverless'
        ? [
            {
              component: 'database',
              message: `serverlessV2Scaling (${database.serverlessV2Scaling.minCapacity}-${database.serverlessV2Scaling.maxCapacity} ACU) has no effect: every instance is ${database.instanceClass}`,
            },
          ]
        : [],
  },
  {
    id: 'route-destination-unknown',
    description: 'Every mesh route and destination rule points at a Service of an application in the spec.',
    severity: everywhere('warn'),
    check: ({ mesh, applications }) => {
      const known = new Set(
        applications.flatMap((a) => [
          `${a.name}.${a.namespace}.svc.cluster.local`,
          `${a.name}.${a.namespace}`,
        ]),
      );
      const hosts = [
        ...mesh.virtualServices.flatMap((vs) =>
          vs.http.flatMap((route) => route.route.map((r) => r.destination.host)),
        ),
        ...mesh.destinationRules.map((dr) => dr.host),
      ];
      return [...new Set(hosts)]
        .filter((host) => !known.has(host))
        .map((host) => ({
          component: 'mesh',
          message: `${host} is not a Service of any application in this spec; it must be deployed by other means`,
        }));
    },
  },
  {
    id: 'retry-budget',
    description: 'Retries fit in the route timeout (attempts x perTryTimeout <= timeout).',
    severity: everywhere('warn'),
    check: ({ mesh }) =>
      mesh.virtualServices.flatMap((vs) =>
        vs.http.flatMap((route, i) => {
          const timeout = route.timeout && goDurationSeconds(route.timeout);
          const perTry = route.retries?.perTryTimeout && goDurationSeconds(route.retries.perTryTimeout);
          return timeout && perTry && route.retries && route.retries.attempts * perTry > timeout
            ? [
                {
                  component: 'mesh',
                  message: `${vs.name} route ${i + 1}: ${route.retries.attempts} tries of ${route.retries.perTryTimeout} exceed the ${route.timeout} timeout`,
                },
              ]
            : [];
        }),
      ),
  },
  {
    id: 'replicas-outside-autoscaling',
    description: "A Deployment's replicas lie within its HPA bounds (the HPA overrides them otherwise).",
    severity: everywhere('warn'),
    check: ({ applications }) =>
      applications
        .filter(
          (a) =>
            a.autoscaling &&
            (a.replicas < a.autoscaling.minReplicas || a.replicas > a.autoscaling.maxReplicas),
        )
        .map((a) => ({
          component: 'app',
          message: `${a.name}: replicas ${a.replicas} is outside the HPA's ${a.autoscaling?.minReplicas}-${a.autoscaling?.maxReplicas}`,
        })),
  },
];
