/**
 * One place that makes AWS SDK v3 clients. Against real AWS they use the default
 * credential chain; against an emulator (moto, LocalStack) they get its endpoint from
 * LP_INFRA_AWS_ENDPOINT, or per region from LP_INFRA_AWS_ENDPOINT_<REGION> (US_WEST_2).
 */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
  maxAttempts: number;
}

export function awsEndpoint(region: string): string | undefined {
  const perRegion = process.env[`LP_INFRA_AWS_ENDPOINT_${region.toUpperCase().replace(/-/g, '_')}`];
  return perRegion || process.env.LP_INFRA_AWS_ENDPOINT || undefined;
}

export function awsClientConfig(region: string): AwsClientConfig {
  const endpoint = awsEndpoint(region);
  if (!endpoint) return { region, maxAttempts: 3 };
  const emulatorCredentials = process.env.AWS_ACCESS_KEY_ID
    ? undefined
    : { accessKeyId: 'lp-infra-local', secretAccessKey: 'lp-infra-local' };
  return { region, endpoint, credentials: emulatorCredentials, forcePathStyle: true, maxAttempts: 3 };
}

type ClientClass<C> = new (config: AwsClientConfig) => C;
const clients = new Map<string, unknown>();

/**
 * A cached client of the given SDK class for a region (connections are reused). The
 * `sendOnce` client never retries: for create calls that carry no idempotency token (see
 * createOnce), where a resent request can make a second resource.
 */
export function awsClient<C>(Client: ClientClass<C>, region: string, sendOnce = false): C {
  const config = { ...awsClientConfig(region), ...(sendOnce ? { maxAttempts: 1 } : {}) };
  const key = `${Client.name}|${region}|${config.endpoint ?? ''}|${config.maxAttempts}`;
  let client = clients.get(key) as C | undefined;
  if (!client) {
    client = new Client(config);
    clients.set(key, client);
  }
  return client;
}
