/** Policy findings: what the reference triggers, and what each severity depends on. */
import { componentGraph, policyFindings, policyRules, type EnvironmentSpec } from '../../../src/model';
import { testDay, validReference } from './helpers';

const reference = validReference();
const findings = (spec: EnvironmentSpec, today = testDay) => policyFindings(spec, { today });
const find = (spec: EnvironmentSpec, rule: string, today = testDay) =>
  findings(spec, today).filter((f) => f.rule === rule);

describe('the reference spec', () => {
  test('needs approval for the EKS endpoint open to 0.0.0.0/0, in both regions', () => {
    expect(find(reference, 'eks-public-endpoint-open')).toEqual([
      expect.objectContaining({ severity: 'approve', component: 'cluster' }),
      expect.objectContaining({ severity: 'approve', component: 'secondary/cluster' }),
    ]);
  });

  test('is denied Kubernetes 1.28 after its extended support ended, warned during it', () => {
    expect(find(reference, 'eks-version-unsupported')[0]).toMatchObject({
      severity: 'deny',
      component: 'cluster',
    });
    expect(find(reference, 'eks-version-unsupported', '2025-01-01')).toEqual([]);
    expect(find(reference, 'eks-extended-support', '2025-01-01')[0]).toMatchObject({ severity: 'warn' });
    expect(findings(reference, '2024-06-01').map((f) => f.rule)).not.toContain('eks-extended-support');
  });

  test('is warned that serverless scaling does nothing for provisioned instances, and of the graphql-gateway route', () => {
    expect(find(reference, 'serverless-scaling-unused')).toHaveLength(1);
    expect(find(reference, 'route-destination-unknown')[0].message).toContain(
      'graphql-gateway.production.svc.cluster.local',
    );
  });

  test('has nothing else', () => {
    expect(new Set(findings(reference).map((f) => f.rule))).toEqual(
      new Set([
        'eks-public-endpoint-open',
        'eks-version-unsupported',
        'serverless-scaling-unused',
        'route-destination-unknown',
      ]),
    );
  });

  test('findings come denies first, then approvals, then warnings', () => {
    const order = findings(reference).map((f) => ['deny', 'approve', 'warn'].indexOf(f.severity));
    expect(order).toEqual([...order].sort());
  });
});

describe('rules by environment', () => {
  const asEnvironment = (environment: EnvironmentSpec['environment'], spec = reference): EnvironmentSpec => ({
    ...spec,
    environment,
  });
  const withDatabase = (change: Partial<EnvironmentSpec['database']>) => ({
    ...reference,
    database: { ...reference.database, ...change },
  });

  test('unencrypted database storage is denied everywhere', () => {
    for (const environment of ['production', 'staging', 'development'] as const) {
      expect(
        find(asEnvironment(environment, withDatabase({ storageEncrypted: false })), 'encryption-at-rest')[0],
      ).toMatchObject({ severity: 'deny', component: 'database' });
    }
  });

  test('unencrypted cache and node volumes are denied', () => {
    const spec = {
      ...reference,
      cache: { ...reference.cache, encryption: { ...reference.cache.encryption, atRest: false } },
      cluster: {
        ...reference.cluster,
        nodeGroups: reference.cluster.nodeGroups.map((g, i) =>
          i === 0 ? { ...g, volume: { ...g.volume, encrypted: false } } : g,
        ),
      },
    };
    expect(find(spec, 'encryption-at-rest').map((f) => f.component)).toEqual([
      'cache',
      'secondary/cache',
      'node-groups',
      'secondary/node-groups',
    ]);
  });

  test('a production database without deletion protection is denied; development does not care', () => {
    const unprotected = withDatabase({ deletionProtection: false });
    expect(find(unprotected, 'database-deletion-protection')[0]).toMatchObject({
      severity: 'deny',
      component: 'database',
    });
    expect(find(asEnvironment('staging', unprotected), 'database-deletion-protection')[0].severity).toBe(
      'warn',
    );
    expect(find(asEnvironment('development', unprotected), 'database-deletion-protection')).toEqual([]);
  });

  test('skipping the final snapshot is denied in production', () => {
    expect(find(withDatabase({ skipFinalSnapshot: true }), 'database-final-snapshot')[0].severity).toBe(
      'deny',
    );
  });

  test('the open EKS endpoint is only a warning in development', () => {
    expect(find(asEnvironment('development'), 'eks-public-endpoint-open')[0].severity).toBe('warn');
  });

  test('an endpoint limited to known ranges passes', () => {
    const spec = {
      ...reference,
      cluster: {
        ...reference.cluster,
        endpointAccess: { ...reference.cluster.endpointAccess, publicAccessCidrs: ['203.0.113.0/24'] },
      },
    };
    expect(find(spec, 'eks-public-endpoint-open')).toEqual([]);
  });

  test('plain HTTP from CloudFront and Redis without TLS are denied in production', () => {
    const spec = {
      ...reference,
      cdn: {
        ...reference.cdn,
        defaultCacheBehavior: {
          ...reference.cdn.defaultCacheBehavior,
          viewerProtocolPolicy: 'allow-all' as const,
        },
      },
      cache: { ...reference.cache, encryption: { ...reference.cache.encryption, inTransit: false } },
    };
    expect(find(spec, 'encryption-in-transit').map((f) => [f.component, f.severity])).toEqual([
      ['cache', 'deny'],
      ['secondary/cache', 'deny'],
      ['cdn', 'deny'],
    ]);
  });

  test('an old CloudFront TLS policy needs approval in production', () => {
    const spec = {
      ...reference,
      cdn: {
        ...reference.cdn,
        viewerCertificate: { ...reference.cdn.viewerCertificate, minimumProtocolVersion: 'TLSv1' as const },
      },
    };
    expect(find(spec, 'cdn-tls-policy')[0].severity).toBe('approve');
  });

  test('retries longer than the route timeout are flagged', () => {
    const spec = structuredClone(reference);
    spec.mesh.virtualServices[0].http[0].retries = { attempts: 4, perTryTimeout: '10s' };
    expect(find(spec, 'retry-budget')[0].message).toContain('4 tries of 10s exceed the 30s timeout');
  });
});

test('every finding names a component of the graph, for the approval gate', () => {
  const worst = structuredClone(reference);
  worst.database.storageEncrypted = false;
  worst.cache.encryption = { atRest: false, inTransit: false };
  worst.network.natGateway = 'single';
  worst.disasterRecovery.failoverApproval = 'automatic';
  const ids = new Set(componentGraph(worst).map((n) => n.id));
  for (const finding of findings(worst)) expect(ids).toContain(finding.component);
});

test('every rule has an id, a description and a severity for each environment', () => {
  for (const rule of policyRules) {
    expect(rule.id).toMatch(/^[a-z0-9-]+$/);
    expect(rule.description.length).toBeGreaterThan(10);
    expect(Object.keys(rule.severity).sort()).toEqual(['development', 'production', 'staging']);
  }
});
