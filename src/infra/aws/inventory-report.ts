/**
 * The pure half of the AWS inventory: which tags make a resource ours, which states mean
 * a resource is gone, how failures of one service are told apart, and how the inventory
 * is grouped, counted and printed. The calls to AWS are in inventory.ts.
 */
import { TAG_COMPONENT, TAG_ENVIRONMENT } from './tags';

/** One resource lp-infra made for an environment, found by its ownership tags. */
export interface InventoryItem {
  /** The AWS service: ec2, eks, rds, elasticache, s3, cloudfront, wafv2, route53, acm, kms, iam, secretsmanager, logs. */
  service: string;
  /** The resource type within the service: vpc, natgateway, db-cluster, bucket, key, role, ... */
  type: string;
  /** The identifier an operator passes to the service's CLI (an id, a name or an ARN). */
  id: string;
  /** The region, or 'global' for IAM, Route 53, CloudFront and CloudFront-scope WAF. */
  region: string;
  /** The component id of the lp-infra:component tag ('network', 'secondary/kms', ...). */
  component: string;
}

export interface InventoryReport {
  environment: string;
  regions: string[];
  items: InventoryItem[];
  /** Services or regions that could not be listed (not implemented by the endpoint, access denied). */
  warnings: string[];
}

export const GLOBAL = 'global';

/** What a resource without a component tag is listed under (lp-infra always sets one). */
export const NO_COMPONENT = '(untagged component)';

/** The component of a resource when its tags say it belongs to the environment, else undefined. */
export function ownerComponent(
  tags: Record<string, string> | undefined,
  environment: string,
): string | undefined {
  if (!tags || tags[TAG_ENVIRONMENT] !== environment) return undefined;
  return tags[TAG_COMPONENT] || NO_COMPONENT;
}

/**
 * States in which a resource is gone or on its way out although the service still lists
 * it: the inventory leaves those out, so "destroyed" means "not listed".
 */
const goneStates = new Set(
  [
    'deleted',
    'deleting',
    'pending-deletion',
    'pendingdeletion',
    'pendingreplicadeletion',
    'delete-failed-but-deleted',
  ].map((s) => s.toLowerCase()),
);

export function isGone(state: string | undefined): boolean {
  return state !== undefined && goneStates.has(state.toLowerCase());
}

export type FailureKind = 'unreachable' | 'not-implemented' | 'other';

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** Tells "the endpoint did not answer" from "it answered but does not implement this" from the rest. */
export function classifyFailure(err: unknown): FailureKind {
  const e = (err ?? {}) as {
    name?: string;
    code?: string;
    Code?: string;
    message?: string;
    cause?: { code?: string };
    $metadata?: { httpStatusCode?: number };
  };
  const code = e.code ?? e.cause?.code;
  if (
    (code && unreachableCodes.has(code)) ||
    e.name === 'TimeoutError' ||
    e.name === 'CredentialsProviderError'
  )
    return 'unreachable';
  const text = `${e.name ?? ''} ${e.Code ?? ''} ${e.message ?? ''}`;
  if (
    /not ?implemented|not (yet |been )?implemented|UnknownOperation|InvalidAction|UnsupportedOperation/i.test(
      text,
    )
  )
    return 'not-implemented';
  // An emulator answers an action it lacks with its server's HTML error page, which the SDK cannot parse.
  if (/XML parse error.*<html>|Unexpected token '?<'?.*<html|<!doctype html/i.test(e.message ?? ''))
    return 'not-implemented';
  const status = e.$metadata?.httpStatusCode;
  if (status === 501 || (status === 404 && /UnknownError|NotFound$/.test(e.name ?? '') && !e.Code)) {
    return 'not-implemented';
  }
  return 'other';
}

export function failureWarning(what: string, region: string, err: unknown): string {
  const text = (err as { message?: unknown } | undefined)?.message;
  const message = (typeof text === 'string' ? text : String(err)).split('\n')[0];
  const where = region === GLOBAL ? '' : ` in ${region}`;
  return classifyFailure(err) === 'not-implemented'
    ? `${what}${where}: not implemented by the endpoint, not listed (${message})`
    : `${what}${where}: could not be listed (${message})`;
}

const order = (a: InventoryItem, b: InventoryItem) =>
  a.component.localeCompare(b.component) ||
  a.region.localeCompare(b.region) ||
  a.service.localeCompare(b.service) ||
  a.type.localeCompare(b.type) ||
  a.id.localeCompare(b.id);

/** Sorted by component, region, service, type, id; one entry per resource (global ones are seen from every region). */
export function normalizeItems(items: InventoryItem[]): InventoryItem[] {
  const seen = new Map<string, InventoryItem>();
  for (const item of items) {
    const key = `${item.service}|${item.type}|${item.id}`;
    if (!seen.has(key)) seen.set(key, item);
  }
  return [...seen.values()].sort(order);
}

/** How many resources per key, e.g. countBy(items, (i) => `${i.component} ${i.type}`). */
export function countBy(
  items: InventoryItem[],
  key: (item: InventoryItem) => string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/** The inventory for people: per component, its resources and a count per type; warnings last. */
export function formatInventory(report: InventoryReport): string {
  const items = normalizeItems(report.items);
  const lines: string[] = [];
  const regions = report.regions.join(', ');
  if (!items.length) {
    lines.push(`nothing tagged ${TAG_ENVIRONMENT}=${report.environment} in ${regions} (and global services)`);
  } else {
    lines.push(
      `${items.length} resource${items.length === 1 ? '' : 's'} tagged ${TAG_ENVIRONMENT}=${report.environment} in ${regions} (and global services)`,
    );
    const components = [...new Set(items.map((i) => i.component))];
    for (const component of components) {
      const own = items.filter((i) => i.component === component);
      const counts = countBy(own, (i) => `${i.service} ${i.type}`);
      const summary = Object.entries(counts)
        .map(([kind, n]) => `${n} ${kind.split(' ')[1]}`)
        .join(', ');
      lines.push('', `${component} (${own.length}: ${summary})`);
      const width = Math.max(...own.map((i) => `${i.service} ${i.type}`.length));
      for (const item of own) {
        lines.push(`  ${`${item.service} ${item.type}`.padEnd(width)}  ${item.region.padEnd(9)}  ${item.id}`);
      }
    }
  }
  if (report.warnings.length) {
    lines.push('', 'warnings (these were not listed, the inventory may be incomplete):');
    for (const warning of report.warnings) lines.push(`  ${warning}`);
  }
  return lines.join('\n');
}
