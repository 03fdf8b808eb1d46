/** Secrets that carry connection strings to the database and the cache. Values come from the caller. */
import type { KubeObject } from '../objects';
import { kubeObject, type V1Secret } from './typed';

export function opaqueSecret(name: string, namespace: string, data: Record<string, string>): KubeObject {
  return kubeObject<V1Secret>({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'Opaque',
    data: Object.fromEntries(
      Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
    ),
  });
}

export interface PostgresConnection {
  username: string;
  password: string;
  host: string;
  port: number;
  database: string;
}

export function postgresUrl(c: PostgresConnection): string {
  const credentials = `${encodeURIComponent(c.username)}:${encodeURIComponent(c.password)}`;
  return `postgresql://${credentials}@${c.host}:${c.port}/${encodeURIComponent(c.database)}?sslmode=require`;
}

export interface RedisConnection {
  /** Absent when the cache asks for no AUTH token. */
  authToken?: string;
  host: string;
  port: number;
  tls: boolean;
}

export function redisUrl(c: RedisConnection): string {
  const credentials = c.authToken ? `:${encodeURIComponent(c.authToken)}@` : '';
  return `${c.tls ? 'rediss' : 'redis'}://${credentials}${c.host}:${c.port}`;
}
