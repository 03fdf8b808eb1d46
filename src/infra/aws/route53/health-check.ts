import {
  CreateHealthCheckCommand,
  DeleteHealthCheckCommand,
  GetHealthCheckCommand,
  UpdateHealthCheckCommand,
  paginateListHealthChecks,
  type HealthCheck,
  type HealthCheckType,
} from '@aws-sdk/client-route-53';
import { createHash } from 'node:crypto';
import { route53Tags, updateRoute53Tags } from './tags';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { route53 } from './hosted-zone';
import type { AwsGrant } from '../permissions/grants';

/**
 * A Route 53 health check of an endpoint (a region's ingress gateway). Its CallerReference
 * is derived from `name` and the settings that cannot change in place, so a create that is
 * retried after it succeeded finds the check it made instead of making a second one.
 *
 * `Inverted` and `Disabled` are deliberately not managed: a failover flips them, and a
 * later `up` must not undo a failover by putting them back.
 */
export interface HealthCheckProps {
  /** Unique per environment and endpoint, e.g. `local-dns-failover-primary`. */
  name: string;
  type: 'HTTPS' | 'HTTP' | 'TCP';
  fqdn: string;
  port: number;
  path?: string;
  requestIntervalSeconds: number;
  failureThreshold: number;
  tags: Record<string, string>;
}

export interface HealthCheckOuts {
  healthCheckId: string;
}

const notFound = 'NoSuchHealthCheck';

/** The CallerReference: the name plus a short digest of the settings fixed at creation. */
export function callerReference(
  props: Pick<HealthCheckProps, 'name' | 'type' | 'requestIntervalSeconds'>,
): string {
  const fixed = createHash('sha256')
    .update(JSON.stringify([props.type, props.requestIntervalSeconds]))
    .digest('hex')
    .slice(0, 8);
  return `lp-infra-${props.name}-${fixed}`;
}

async function findByReference(reference: string, ctx: HandlerContext): Promise<HealthCheck | undefined> {
  for await (const page of paginateListHealthChecks({ client: route53(ctx) }, {})) {
    const found = page.HealthChecks?.find((check) => check.CallerReference === reference);
    if (found) return found;
  }
  return undefined;
}

const withName = (props: HealthCheckProps) => ({ ...props.tags, Name: props.name });

export const healthCheck: ResourceHandler<HealthCheckProps, HealthCheckOuts> = {
  async create(props, ctx) {
    const reference = callerReference(props);
    const existing = await findByReference(reference, ctx);
    const id =
      existing?.Id ??
      (
        await route53(ctx).send(
          new CreateHealthCheckCommand({
            CallerReference: reference,
            HealthCheckConfig: {
              Type: props.type as HealthCheckType,
              FullyQualifiedDomainName: props.fqdn,
              Port: props.port,
              ...(props.type !== 'TCP' && props.path ? { ResourcePath: props.path } : {}),
              RequestInterval: props.requestIntervalSeconds,
              FailureThreshold: props.failureThreshold,
              ...(props.type === 'HTTPS' ? { EnableSNI: true } : {}),
            },
          }),
        )
      ).HealthCheck?.Id;
    if (!id) throw new Error(`Route 53 returned no id for health check ${props.name}`);
    ctx.made?.(id);
    if (existing)
      await healthCheck.update(
        id,
        { props: { ...props, tags: {} }, outs: { healthCheckId: id } },
        props,
        ctx,
      );
    else await updateRoute53Tags('healthcheck', id, {}, withName(props), ctx);
    return { id, outs: { healthCheckId: id } };
  },

  async read(id, current, ctx) {
    const found = await unlessMissing(
      route53(ctx).send(new GetHealthCheckCommand({ HealthCheckId: id })),
      notFound,
    );
    const config = found?.HealthCheck?.HealthCheckConfig;
    if (!config) return undefined;
    const { Name: _name, ...tags } = await route53Tags('healthcheck', id, ctx);
    return {
      props: {
        ...current.props,
        fqdn: config.FullyQualifiedDomainName ?? '',
        port: config.Port ?? 0,
        ...(current.props.path !== undefined ? { path: config.ResourcePath ?? '' } : {}),
        failureThreshold: config.FailureThreshold ?? 0,
        tags,
      },
      outs: { healthCheckId: id },
    };
  },

  async update(id, current, news, ctx) {
    await route53(ctx).send(
      new UpdateHealthCheckCommand({
        HealthCheckId: id,
        FullyQualifiedDomainName: news.fqdn,
        Port: news.port,
        ...(news.type !== 'TCP' && news.path ? { ResourcePath: news.path } : {}),
        FailureThreshold: news.failureThreshold,
      }),
    );
    await updateRoute53Tags(
      'healthcheck',
      id,
      await route53Tags('healthcheck', id, ctx),
      withName(news),
      ctx,
    );
    return { healthCheckId: id };
  },

  async delete(id, _current, ctx) {
    await ignoreMissing(route53(ctx).send(new DeleteHealthCheckCommand({ HealthCheckId: id })), notFound);
  },

  replaceOnChanges: ['name', 'type', 'requestIntervalSeconds'],
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['route53:ListHealthChecks', 'route53:GetHealthCheck', 'route53:CreateHealthCheck'] },
  { actions: ['route53:UpdateHealthCheck', 'route53:DeleteHealthCheck'], on: ['healthcheck'] },
];
