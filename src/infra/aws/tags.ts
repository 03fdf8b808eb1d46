/** Tags lp-infra puts on everything it makes: how it finds its own resources again. */
export const TAG_ENVIRONMENT = 'lp-infra:environment';
export const TAG_COMPONENT = 'lp-infra:component';
export const TAG_MANAGED_BY = 'managed-by';

export function ownershipTags(environment: string, component: string, extra: Record<string, string> = {}) {
  return {
    ...extra,
    [TAG_MANAGED_BY]: 'lp-infra',
    [TAG_ENVIRONMENT]: environment,
    [TAG_COMPONENT]: component,
  };
}

export function toAwsTags(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromAwsTags(tags: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).filter((t) => t.Key).map((t) => [t.Key as string, t.Value ?? '']));
}
