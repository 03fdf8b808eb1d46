/** Type-level checks, secrets, unknown keys, YAML syntax errors and `extends`. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSpecFile, parseSpec, SpecError, type SpecIssue } from '../../../src/model';
import { issuesAfter, referencePath, type Document } from './helpers';

function issueAt(issues: SpecIssue[], path: string): SpecIssue {
  const issue = issues.find((i) => i.path === path);
  if (!issue) throw new Error(`no issue at ${path}; got ${issues.map((i) => i.path).join(', ')}`);
  return issue;
}

function specError(run: () => unknown): SpecError {
  try {
    run();
  } catch (err) {
    if (err instanceof SpecError) return err;
    throw err;
  }
  throw new Error('expected a SpecError');
}

describe('field types and ranges', () => {
  test.each<[string, (d: Document) => void, string, RegExp]>([
    [
      'backup retention 0',
      (d) => (d.database.backup.retentionDays = 0),
      'database.backup.retentionDays',
      /at least 1/,
    ],
    [
      'backup retention 36',
      (d) => (d.database.backup.retentionDays = 36),
      'database.backup.retentionDays',
      /at most 35/,
    ],
    [
      'negative minSize',
      (d) => (d.cluster.nodeGroups[0].minSize = -1),
      'cluster.nodeGroups[0].minSize',
      /at least 0/,
    ],
    [
      'fractional maxSize',
      (d) => (d.cluster.nodeGroups[0].maxSize = 2.5),
      'cluster.nodeGroups[0].maxSize',
      /whole number/,
    ],
    [
      'HPA utilisation 0',
      (d) => (d.applications[0].autoscaling.metrics[0].averageUtilization = 0),
      'applications[0].autoscaling.metrics[0].averageUtilization',
      /at least 1/,
    ],
    [
      'HPA utilisation 101',
      (d) => (d.applications[0].autoscaling.metrics[1].averageUtilization = 101),
      'applications[0].autoscaling.metrics[1].averageUtilization',
      /at most 100/,
    ],
    [
      'HPA minReplicas 0',
      (d) => (d.applications[0].autoscaling.minReplicas = 0),
      'applications[0].autoscaling.minReplicas',
      /at least 1/,
    ],
    [
      'port 0',
      (d) => (d.applications[0].service.ports[0].port = 0),
      'applications[0].service.ports[0].port',
      /at least 1/,
    ],
    [
      'port 65536',
      (d) => (d.mesh.virtualServices[0].http[0].route[0].destination.port = 65536),
      'mesh.virtualServices[0].http[0].route[0].destination.port',
      /at most 65535/,
    ],
    [
      'upper-case hostname',
      (d) => (d.dns.records[0].name = 'API.lp-system.com'),
      'dns.records[0].name',
      /DNS name/,
    ],
    [
      'hostname with underscore',
      (d) => (d.mesh.gateways[0].servers[0].hosts[0] = 'api_v2.lp-system.com'),
      'mesh.gateways[0].servers[0].hosts[0]',
      /DNS name/,
    ],
    ['CIDR prefix 33', (d) => (d.network.vpcCidr = '10.0.0.0/33'), 'network.vpcCidr', /prefix length/],
    [
      'CIDR with host bits',
      (d) => (d.network.vpcCidr = '10.0.0.1/16'),
      'network.vpcCidr',
      /network address of this block is 10\.0\.0\.0\/16/,
    ],
    [
      'not a CIDR',
      (d) => (d.network.subnets.public[0].cidr = '10.0.0.0'),
      'network.subnets.public[0].cidr',
      /CIDR/,
    ],
    [
      'engine version without minor',
      (d) => (d.database.engineVersion = '15'),
      'database.engineVersion',
      /version such as "15.4"/,
    ],
    [
      'unquoted Kubernetes version',
      (d) => (d.cluster.kubernetesVersion = 1.3),
      'cluster.kubernetesVersion',
      /quotes/,
    ],
    [
      'malformed daily window',
      (d) => (d.database.backup.window = '3:00-4:00'),
      'database.backup.window',
      /hh:mm-hh:mm/,
    ],
    [
      'malformed weekly window',
      (d) => (d.cache.maintenanceWindow = 'sunday:05:00-sunday:07:00'),
      'cache.maintenanceWindow',
      /ddd:hh:mm/,
    ],
    [
      'hour 24 in a window',
      (d) => (d.database.backup.window = '23:00-24:00'),
      'database.backup.window',
      /hh:mm-hh:mm/,
    ],
    [
      'bad duration',
      (d) => (d.mesh.virtualServices[0].http[0].timeout = '30 seconds'),
      'mesh.virtualServices[0].http[0].timeout',
      /duration/,
    ],
    [
      'bad quantity',
      (d) => (d.applications[0].resources.requests.memory = '512MB'),
      'applications[0].resources.requests.memory',
      /quantity/,
    ],
    [
      'unknown environment',
      (d) => (d.environment = 'prod'),
      'environment',
      /one of: "production", "staging", "development"/,
    ],
    ['gcp region', (d) => (d.regions.secondary.cloud = 'gcp'), 'regions.secondary.cloud', /only "aws"/],
    [
      'monitoring interval 45',
      (d) => (d.database.monitoringIntervalSeconds = 45),
      'database.monitoringIntervalSeconds',
      /one of/,
    ],
    [
      'Performance Insights 30 days',
      (d) => (d.database.performanceInsights.retentionDays = 30),
      'database.performanceInsights.retentionDays',
      /multiple of 31/,
    ],
    [
      'S3 storage class typo',
      (d) => (d.storage.lifecycleRules[0].transitions[1].storageClass = 'GLACIER_DEEP'),
      'storage.lifecycleRules[0].transitions[1].storageClass',
      /one of/,
    ],
    [
      'HPA metric type',
      (d) => (d.applications[0].autoscaling.metrics[0].type = 'gpu'),
      'applications[0].autoscaling.metrics[0].type',
      /cpu/,
    ],
    ['name not a DNS label', (d) => (d.name = 'Reference_Env'), 'name', /DNS label/],
    ['no applications', (d) => (d.applications = []), 'applications', /at least 1 item/],
    ['missing section', (d) => delete d.cache, 'cache', /required/],
  ])('%s', (_name, change, path, message) => {
    const issue = issueAt(issuesAfter(change), path);
    expect(issue.rule).toBe('schema');
    expect(issue.message).toMatch(message);
  });
});

describe('secrets never enter a spec', () => {
  test.each<[string, (d: Document) => void, string]>([
    ['database.masterPassword', (d) => (d.database.masterPassword = 'hunter2'), 'database.masterPassword'],
    ['database master_password', (d) => (d.database.master_password = 'hunter2'), 'database.master_password'],
    ['cache.authToken', (d) => (d.cache.authToken = 'abc'), 'cache.authToken'],
    [
      'Grafana adminPassword',
      (d) => (d.monitoring.grafana.adminPassword = 'admin'),
      'monitoring.grafana.adminPassword',
    ],
    ['a tag named like a secret', (d) => (d.tags['api-key'] = 'x'), 'tags.api-key'],
  ])('%s is rejected with the reason', (_name, change, path) => {
    const issues = issuesAfter(change);
    const issue = issueAt(issues, path);
    expect(issue.rule).toBe('no-secrets-in-spec');
    expect(issue.message).toMatch(/generates .* stores them in AWS Secrets Manager/);
    expect(issues.filter((i) => i.path === path)).toHaveLength(1);
  });

  test('the secret value itself is not echoed in the report', () => {
    const err = specError(() =>
      parseSpec(`extends: ${referencePath}\ndatabase:\n  masterPassword: s3cr3t-value\n`, 'x.yaml'),
    );
    expect(err.message).not.toContain('s3cr3t-value');
  });
});

describe('unknown keys', () => {
  test('circuitBreaker points to outlierDetection', () => {
    const issue = issueAt(
      issuesAfter(
        (d) => (d.mesh.destinationRules[0].trafficPolicy.circuitBreaker = { consecutiveErrors: 5 }),
      ),
      'mesh.destinationRules[0].trafficPolicy.circuitBreaker',
    );
    expect(issue.message).toMatch(
      /Istio has no circuitBreaker field.*outlierDetection.*consecutive5xxErrors/,
    );
  });

  test('eksctl names get the spec spelling', () => {
    const issues = issuesAfter((d) => {
      d.cluster.nodeGroups[0].desiredCapacity = 3;
      d.cluster.nodeGroups[0].instanceType = 't3.large';
    });
    expect(issueAt(issues, 'cluster.nodeGroups[0].desiredCapacity').message).toMatch(/desiredSize/);
    expect(issueAt(issues, 'cluster.nodeGroups[0].instanceType').message).toMatch(/instanceTypes/);
  });

  test('a typo gets the closest known key', () => {
    const issue = issueAt(
      issuesAfter((d) => (d.cache.numCacheClustrs = 6)),
      'cache.numCacheClustrs',
    );
    expect(issue.message).toBe('unknown key; did you mean numCacheClusters?');
  });

  test('at the top level too', () => {
    expect(
      issueAt(
        issuesAfter((d) => (d.endpoints = { aws: 'http://localhost:5000' })),
        'endpoints',
      ).message,
    ).toMatch(/unknown key/);
  });
});

describe('YAML', () => {
  test('a syntax error names line and column', () => {
    const err = specError(() =>
      parseSpec('name: x\ncluster:\n  nodeGroups: [a, b\n  addons: 1\n', 'broken.yaml'),
    );
    expect(err.issues[0]).toMatchObject({
      rule: 'yaml-syntax',
      file: 'broken.yaml',
      line: expect.any(Number),
      column: expect.any(Number),
    });
    expect(err.message).toMatch(/broken\.yaml:\d+:\d+/);
  });

  test('a duplicate key is an error with its line', () => {
    const err = specError(() => parseSpec('name: a\nname: b\n', 'dup.yaml'));
    expect(err.issues[0]).toMatchObject({ rule: 'yaml-syntax', line: 2, column: 1 });
  });

  test('an empty document is reported, not crashed on', () => {
    const err = specError(() => parseSpec('', 'empty.yaml'));
    expect(err.issues[0].path).toBe('');
  });
});

describe('extends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-spec-'));

  test('resolves relative to the extending file and merges', () => {
    writeFileSync(join(dir, 'base.yaml'), `extends: ${referencePath}\nname: base\n`);
    writeFileSync(join(dir, 'child.yaml'), 'extends: base.yaml\nname: child\nenvironment: staging\n');
    expect(loadSpecFile(join(dir, 'child.yaml'))).toMatchObject({
      name: 'child',
      environment: 'staging',
      cluster: { name: 'lp-production' },
    });
  });

  test('a missing base is an error at extends', () => {
    writeFileSync(join(dir, 'orphan.yaml'), 'extends: nowhere.yaml\n');
    expect(specError(() => loadSpecFile(join(dir, 'orphan.yaml'))).issues[0]).toMatchObject({
      path: 'extends',
      rule: 'readable-file',
    });
  });

  test('a loop is an error', () => {
    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\n');
    expect(specError(() => loadSpecFile(join(dir, 'a.yaml'))).issues[0].message).toMatch(/loops/);
  });

  test('a missing spec file is a SpecError', () => {
    expect(specError(() => loadSpecFile(join(dir, 'absent.yaml'))).issues[0].rule).toBe('readable-file');
  });
});

test('the report names path, value and rule for each problem', () => {
  const err = specError(() =>
    parseSpec(`extends: ${referencePath}\ncache:\n  numCacheClusters: 9\n`, 'bad.yaml'),
  );
  expect(err.message).toContain('bad.yaml: 1 problem');
  expect(err.message).toContain('cache.numCacheClusters = 9');
  expect(err.message).toContain('must be at most 6 [schema]');
});

test('an alias without its anchor is a YAML error with its line, not a crash', () => {
  const err = specError(() => parseSpec('name: x\nenvironment: *missing\n', 'alias.yaml'));
  expect(err.issues[0]).toMatchObject({ rule: 'yaml-syntax', line: 2, column: 14 });
});
