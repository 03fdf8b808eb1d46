/** Connection strings, secret parsing, kubeconfig selection and the EKS token. */
import { secretFields, secretRegion } from '../../../src/infra/kubernetes/connection-secrets';
import {
  clusterTarget,
  eksToken,
  kubeConfigFor,
  kubeconfigVariable,
} from '../../../src/infra/kubernetes/kubeconfig';
import { postgresUrl, redisUrl } from '../../../src/infra/kubernetes/manifests/secrets';
import { localSpec, referenceSpec } from './helpers';

test('connection strings escape credentials and pick TLS for Redis when in-transit encryption is on', () => {
  expect(
    postgresUrl({ username: 'lp_admin', password: 'a@b/c', host: 'db.example', port: 5432, database: 'lp' }),
  ).toBe('postgresql://lp_admin:a%40b%2Fc@db.example:5432/lp?sslmode=require');
  expect(redisUrl({ authToken: 't:k', host: 'cache.example', port: 6379, tls: true })).toBe(
    'rediss://:t%3Ak@cache.example:6379',
  );
  expect(redisUrl({ host: 'cache.example', port: 6379, tls: false })).toBe('redis://cache.example:6379');
});

test('a secret is a JSON object of fields or a bare value; its ARN names its region', () => {
  expect(secretFields('{"username":"u","password":"p"}')).toEqual({ username: 'u', password: 'p' });
  expect(secretFields('plain-token')).toEqual({ value: 'plain-token' });
  expect(secretRegion('arn:aws:secretsmanager:us-west-2:123456789012:secret:lp-abc')).toBe('us-west-2');
});

test('each region has its own kubeconfig variable and cluster', () => {
  const spec = referenceSpec();
  expect(kubeconfigVariable('us-west-2')).toBe('LP_INFRA_KUBECONFIG_US_WEST_2');
  expect(clusterTarget(spec, 'primary')).toEqual({ region: 'us-east-1', clusterName: 'lp-production' });
  expect(clusterTarget(spec, 'secondary')).toEqual({ region: 'us-west-2', clusterName: 'lp-dr' });
});

test('an emulated environment without a kubeconfig fails with the variable to set', async () => {
  const saved = { general: process.env.LP_INFRA_KUBECONFIG, east: process.env.LP_INFRA_KUBECONFIG_US_EAST_1 };
  delete process.env.LP_INFRA_KUBECONFIG;
  delete process.env.LP_INFRA_KUBECONFIG_US_EAST_1;
  try {
    await expect(kubeConfigFor(localSpec(), 'primary')).rejects.toThrow(/LP_INFRA_KUBECONFIG_US_EAST_1/);
  } finally {
    if (saved.general !== undefined) process.env.LP_INFRA_KUBECONFIG = saved.general;
    if (saved.east !== undefined) process.env.LP_INFRA_KUBECONFIG_US_EAST_1 = saved.east;
  }
});

test('the EKS token is a presigned GetCallerIdentity URL naming the cluster', async () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  try {
    const token = await eksToken({ region: 'us-east-1', clusterName: 'lp-production' });
    expect(token.startsWith('k8s-aws-v1.')).toBe(true);
    const url = new URL(Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString());
    expect(url.host).toBe('sts.us-east-1.amazonaws.com');
    expect(url.searchParams.get('Action')).toBe('GetCallerIdentity');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;x-k8s-aws-id');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('X-Amz-Credential')).toMatch(
      /^AKIDEXAMPLE\/\d{8}\/us-east-1\/sts\/aws4_request$/,
    );
  } finally {
    for (const [name, value] of [
      ['AWS_ACCESS_KEY_ID', saved.id],
      ['AWS_SECRET_ACCESS_KEY', saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
