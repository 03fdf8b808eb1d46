/** The name ACM validates for a domain: a wildcard is validated through its base domain. */
export const validatedName = (domain: string) => domain.replace(/^\*\./, '');

/** The other names of a certificate: unique, without the domain itself. */
export function alternativeNames(domainName: string, names: string[]): string[] {
  return [...new Set(names)].filter((name) => name !== domainName);
}

/** One DNS validation record per validated name: `*.example.com` and `example.com` share one. */
export function validationNames(domainName: string, alternatives: string[]): string[] {
  return [...new Set([domainName, ...alternatives].map(validatedName))];
}
