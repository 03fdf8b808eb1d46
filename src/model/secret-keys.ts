/**
 * A spec never carries a secret value. Any key that names one (masterPassword, auth_token,
 * apiKey, ...) is an error wherever it appears, maps of free keys included.
 */
import type { SpecIssue } from './errors';
import { formatPath, type PathSegment } from './paths';

const secretKeyEndings = [
  'password',
  'passwd',
  'passphrase',
  'token',
  'apikey',
  'secret',
  'secretkey',
  'accesskeyid',
  'privatekey',
];

/** True for keys such as masterPassword, master_password, authToken or apiKey. */
export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return secretKeyEndings.some((ending) => normalized.endsWith(ending));
}

export const secretKeyMessage =
  'a spec never carries secret values: lp-infra generates passwords and tokens while it provisions and ' +
  'stores them in AWS Secrets Manager (workloads read them through Kubernetes Secrets); remove this key';

/** Every key in the raw document that names a secret, with its path. */
export function secretKeyIssues(raw: unknown, path: PathSegment[] = []): SpecIssue[] {
  if (Array.isArray(raw)) return raw.flatMap((item, index) => secretKeyIssues(item, [...path, index]));
  if (raw === null || typeof raw !== 'object') return [];
  return Object.entries(raw).flatMap(([key, value]) =>
    isSecretKey(key)
      ? [{ path: formatPath([...path, key]), message: secretKeyMessage, rule: 'no-secrets-in-spec' }]
      : secretKeyIssues(value, [...path, key]),
  );
}
