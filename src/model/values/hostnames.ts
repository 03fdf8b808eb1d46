/** DNS names as RFC 1123 allows them: lower-case labels of 1-63 characters, 253 in all. */

const label = '[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?';
export const dnsLabelPattern = new RegExp(`^${label}$`);
export const hostnamePattern = new RegExp(`^(?=.{1,253}$)${label}(\\.${label})+$`);
/** A hostname whose first label may be `*` (Istio and CloudFront accept wildcard hosts). */
export const hostnameOrWildcardPattern = new RegExp(`^(?=.{1,253}$)(\\*|${label})(\\.${label})+$`);

/** True when `name` is `zone` or a name under it. */
export function isWithinZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}
