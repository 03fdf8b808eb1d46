/**
 * A small Kubernetes API client over the raw JSON. KubeConfig (from @kubernetes/client-node) supplies
 * the server, the TLS material and the credentials; requests and answers stay plain JSON, because
 * the typed models of the generated client drop fields they do not know and turn timestamps into
 * Dates, and the diff and the field-by-field checks need the objects exactly as the server keeps them.
 */
import https from 'node:https';
import type { KubeConfig } from './client-node';
import { KubernetesError } from './errors';
import { fieldManager, objectName, type KubeObject } from './objects';

/** An answer of the API server other than success; its status decides whether a retry may help. */
export class KubeApiError extends KubernetesError {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message, status, `Kubernetes${reason}`);
  }
}

export const isNotFound = (error: unknown) => error instanceof KubeApiError && error.status === 404;
export const isConflict = (error: unknown) => error instanceof KubeApiError && error.status === 409;

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export type ObjectRef = Pick<KubeObject, 'apiVersion' | 'kind'> & {
  metadata: { name: string; namespace?: string };
};

export interface KubeApi {
  /** The API server's URL, for outputs and messages. */
  readonly server: string;
  get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined>;
  /** Objects of one kind in every namespace (or in one), optionally by label selector. */
  list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options?: { namespace?: string; labelSelector?: string },
  ): Promise<T[]>;
  /** Server-side apply as lp-infra; with dryRun the server computes the result and stores nothing. */
  apply<T extends KubeObject = KubeObject>(object: KubeObject, options?: { dryRun?: boolean }): Promise<T>;
  /** Replaces the object as read (an update, as `kubectl edit` makes), under the given field manager. */
  replace<T extends KubeObject = KubeObject>(object: KubeObject, manager?: string): Promise<T>;
  /** Creates the object; a KubeApiError with status 409 when it exists. */
  create<T extends KubeObject = KubeObject>(object: KubeObject): Promise<T>;
  /** Deletes the object; false when it was already gone. */
  remove(ref: ObjectRef): Promise<boolean>;
  /** Is the kind served (for custom resources: is its definition installed and established)? */
  serves(apiVersion: string, kind: string): Promise<boolean>;
}

export function kubeApi(config: KubeConfig): KubeApi {
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubernetesError('the kubeconfig has no current cluster');
  const server = cluster.server.replace(/\/+$/, '');
  const discovery = new Map<string, ApiResource[]>();

  async function send(method: string, path: string, body?: unknown, contentType = 'application/json') {
    const options: https.RequestOptions = { method, headers: {} };
    await config.applyToHTTPSOptions(options);
    const url = new URL(server + path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    options.headers = {
      ...options.headers,
      Accept: 'application/json',
      ...(payload !== undefined
        ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }
        : {}),
    };
    return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const request = https.request(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = text;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (a proxy's error page): kept as text for the message
          }
          resolve({ status: response.statusCode ?? 0, json });
        });
        response.on('error', reject);
      });
      request.setTimeout(30_000, () => request.destroy(new Error(`${method} ${url} timed out`)));
      request.on('error', reject);
      request.end(payload);
    });
  }

  async function call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const { status, json } = await send(method, path, body, contentType);
    if (status >= 200 && status < 300) return json as T;
    const failure = (json ?? {}) as { reason?: string; message?: string };
    const message = typeof json === 'string' ? json : (failure.message ?? `HTTP ${status}`);
    throw new KubeApiError(status, failure.reason ?? String(status), `${method} ${path}: ${message}`);
  }

  const groupPath = (apiVersion: string) =>
    apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;

  async function resources(apiVersion: string, refresh: boolean): Promise<ApiResource[]> {
    if (!refresh && discovery.has(apiVersion)) return discovery.get(apiVersion)!;
    try {
      const list = await call<{ resources: ApiResource[] }>('GET', groupPath(apiVersion));
      const found = list.resources.filter((r) => !r.name.includes('/'));
      discovery.set(apiVersion, found);
      return found;
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
  }

  async function resourceFor(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const cached = (await resources(apiVersion, false)).find((r) => r.kind === kind);
    return cached ?? (await resources(apiVersion, true)).find((r) => r.kind === kind);
  }

  async function pathOf(ref: ObjectRef, withName = true): Promise<string> {
    const resource = await resourceFor(ref.apiVersion, ref.kind);
    if (!resource) {
      throw new KubeApiError(
        404,
        'NotFound',
        `the API server does not serve ${ref.kind} (${ref.apiVersion})`,
      );
    }
    const namespace = resource.namespaced ? `/namespaces/${ref.metadata.namespace ?? 'default'}` : '';
    const name = withName ? `/${encodeURIComponent(ref.metadata.name)}` : '';
    return `${groupPath(ref.apiVersion)}${namespace}/${resource.name}${name}`;
  }

  return {
    server,
    async get<T extends KubeObject>(ref: ObjectRef) {
      try {
        return await call<T>('GET', await pathOf(ref));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async list<T extends KubeObject>(
      apiVersion: string,
      kind: string,
      options: { namespace?: string; labelSelector?: string } = {},
    ) {
      const resource = await resourceFor(apiVersion, kind);
      if (!resource) return [];
      const namespace = options.namespace && resource.namespaced ? `/namespaces/${options.namespace}` : '';
      const query = options.labelSelector
        ? `?labelSelector=${encodeURIComponent(options.labelSelector)}`
        : '';
      const list = await call<{ items: T[] }>(
        'GET',
        `${groupPath(apiVersion)}${namespace}/${resource.name}${query}`,
      );
      // List items carry no apiVersion and kind of their own.
      return list.items.map((item) => ({ ...item, apiVersion, kind }));
    },
    async apply<T extends KubeObject>(object: KubeObject, options: { dryRun?: boolean } = {}) {
      const query = `?fieldManager=${fieldManager}&force=true${options.dryRun ? '&dryRun=All' : ''}`;
      try {
        return await call<T>('PATCH', (await pathOf(object)) + query, object, 'application/apply-patch+yaml');
      } catch (error) {
        if (error instanceof KubeApiError) error.message = `applying ${objectName(object)}: ${error.message}`;
        throw error;
      }
    },
    async replace<T extends KubeObject>(object: KubeObject, manager = fieldManager) {
      return call<T>('PUT', `${await pathOf(object)}?fieldManager=${encodeURIComponent(manager)}`, object);
    },
    async create<T extends KubeObject>(object: KubeObject) {
      return call<T>('POST', `${await pathOf(object, false)}?fieldManager=${fieldManager}`, object);
    },
    async remove(ref: ObjectRef) {
      try {
        await call('DELETE', await pathOf(ref), { propagationPolicy: 'Background' });
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    async serves(apiVersion: string, kind: string) {
      return (await resourceFor(apiVersion, kind)) !== undefined;
    },
  };
}
