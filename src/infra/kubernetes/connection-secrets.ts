/**
 * database-secret and redis-secret, the Secrets the applications read their connection strings
 * from. Built inside the activity: the workflow hands over the database's and the cache's outputs
 * (endpoints, ports, Secrets Manager ARNs), the values are read here from Secrets Manager and go
 * straight into the Secret objects. No value leaves this module.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ComponentOutputs, OutputName } from '../components/contract';
import type { ComponentId, RegionRole, SpecWith } from '../../model';
import { awsClient } from '../aws/clients';
import { opaqueSecret, postgresUrl, redisUrl } from './manifests/secrets';
import { KubernetesError } from './errors';
import type { KubeObject } from './objects';

export const databaseSecretName = 'database-secret';
export const redisSecretName = 'redis-secret';

type Inputs = Record<string, ComponentOutputs>;

/** The region of a Secrets Manager ARN: arn:aws:secretsmanager:<region>:<account>:secret:<name>. */
export function secretRegion(arn: string): string {
  const region = arn.split(':')[3];
  if (!region) throw new KubernetesError(`not a Secrets Manager ARN: ${arn}`);
  return region;
}

async function secretString(arn: string): Promise<string> {
  const client = awsClient(SecretsManagerClient, secretRegion(arn));
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (SecretString === undefined) throw new Error(`secret ${arn} holds no string value`);
  return SecretString;
}

/** A secret is either a JSON object (RDS-managed: username, password) or the bare value. */
export function secretFields(text: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, string>;
  } catch {
    // a bare value
  }
  return { value: text };
}

function output<Id extends ComponentId>(
  inputs: Inputs,
  ids: readonly Id[],
  name: OutputName<Id>,
): string | number {
  for (const id of ids) {
    const value = inputs[id]?.[name];
    if (typeof value === 'string' || typeof value === 'number') return value;
  }
  throw new KubernetesError(
    `no '${name}' among the outputs of ${ids.join(' / ')}; it is needed for the application secrets`,
  );
}

function optionalOutput<Id extends ComponentId>(
  inputs: Inputs,
  ids: readonly Id[],
  name: OutputName<Id>,
): string | undefined {
  for (const id of ids) {
    const value = inputs[id]?.[name];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

type DatabaseId = 'database' | 'secondary/database-replica';
type CacheId = 'cache' | 'secondary/cache';

/** The component ids whose outputs describe the database and the cache the region's apps use. */
function sources(region: RegionRole): { database: DatabaseId[]; cache: CacheId[] } {
  return region === 'secondary'
    ? { database: ['secondary/database-replica', 'database'], cache: ['secondary/cache', 'cache'] }
    : { database: ['database'], cache: ['cache'] };
}

async function databaseUrl(spec: SpecWith<'database'>, inputs: Inputs, ids: DatabaseId[]): Promise<string> {
  const fields = secretFields(await secretString(String(output(inputs, ids, 'masterSecretArn'))));
  const password = fields.password ?? fields.value;
  if (!password) throw new KubernetesError('the database master secret has no password');
  return postgresUrl({
    username: fields.username ?? spec.database.masterUsername,
    password,
    host: String(output(inputs, ids, 'endpoint')),
    port: Number(output(inputs, ids, 'port')),
    database: spec.database.databaseName,
  });
}

async function cacheUrl(spec: SpecWith<'cache'>, inputs: Inputs, ids: CacheId[]): Promise<string> {
  const tokenArn = optionalOutput(inputs, ids, 'authTokenSecretArn');
  const fields = tokenArn ? secretFields(await secretString(tokenArn)) : {};
  return redisUrl({
    authToken: fields.authToken ?? fields.token ?? fields.password ?? fields.value,
    host: String(output(inputs, ids, 'primaryEndpoint')),
    port: Number(output(inputs, ids, 'port')),
    tls: spec.cache.encryption.inTransit,
  });
}

/**
 * The connection Secrets the spec's applications reference (env secretRef), one per namespace,
 * with the key the reference names. A reference to another Secret name is an error: lp-infra
 * would have nothing to put in it.
 */
export async function connectionSecrets(
  spec: SpecWith<'database' | 'cache' | 'applications'>,
  region: RegionRole,
  inputs: Inputs,
): Promise<KubeObject[]> {
  const from = sources(region);
  const builders: Record<string, () => Promise<string>> = {
    [databaseSecretName]: () => databaseUrl(spec, inputs, from.database),
    [redisSecretName]: () => cacheUrl(spec, inputs, from.cache),
  };
  const wanted = new Map<string, { name: string; namespace: string; keys: Set<string> }>();
  for (const app of spec.applications) {
    for (const { secretRef } of app.env) {
      if (!secretRef) continue;
      if (!builders[secretRef.name]) {
        throw new KubernetesError(
          `application ${app.name} reads Secret '${secretRef.name}', which lp-infra does not make ` +
            `(it makes ${Object.keys(builders).join(' and ')})`,
        );
      }
      const id = `${app.namespace}/${secretRef.name}`;
      const entry = wanted.get(id) ?? {
        name: secretRef.name,
        namespace: app.namespace,
        keys: new Set<string>(),
      };
      entry.keys.add(secretRef.key);
      wanted.set(id, entry);
    }
  }
  const values = new Map<string, string>();
  const secrets: KubeObject[] = [];
  for (const { name, namespace, keys } of wanted.values()) {
    if (!values.has(name)) values.set(name, await builders[name]());
    const value = values.get(name)!;
    secrets.push(opaqueSecret(name, namespace, Object.fromEntries([...keys].map((key) => [key, value]))));
  }
  return secrets;
}
