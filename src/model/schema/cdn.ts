import { z } from 'zod';
import { cloudFrontSecurityPolicies } from '../data/cloudfront-security-policies';
import { hostname, hostnameOrWildcard, notes, section } from './primitives';

const httpMethod = z.enum(['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE']);

const cacheBehaviorShape = {
  allowedMethods: z.array(httpMethod).min(1),
  cachedMethods: z.array(httpMethod).min(1),
  compress: z.boolean().default(false),
  viewerProtocolPolicy: z.enum(['allow-all', 'https-only', 'redirect-to-https']),
  forwardedValues: section({
    queryString: z.boolean(),
    headers: z
      .array(
        z.string().regex(/^[A-Za-z0-9*-]+$/, 'must be an HTTP header name (CloudFront allows * wildcards)'),
      )
      .default([]),
    cookies: z.enum(['none', 'all', 'whitelist']).default('none'),
  }),
  /** Seconds; CloudFront requires min <= default <= max. */
  ttl: section({ min: z.int().min(0), default: z.int().min(0), max: z.int().min(0) }),
};

export const CdnSchema = section({
  enabled: z.boolean().default(true),
  ipv6: z.boolean().default(true),
  defaultRootObject: z.string().optional(),
  /** The storage bucket, reached through an origin access identity (as the reference) or control. */
  origin: section({
    type: z.literal('storage'),
    access: z.enum(['origin-access-identity', 'origin-access-control']),
  }),
  aliases: z.array(hostname).default([]),
  defaultCacheBehavior: section(cacheBehaviorShape),
  orderedCacheBehaviors: z
    .array(section({ pathPattern: z.string().min(1), ...cacheBehaviorShape }))
    .default([]),
  geoRestriction: section({
    type: z.enum(['none', 'whitelist', 'blacklist']),
    locations: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code'))
      .default([]),
  }),
  /** An ACM certificate in us-east-1 (CloudFront's requirement), validated through DNS. */
  viewerCertificate: section({
    domainName: hostnameOrWildcard,
    subjectAlternativeNames: z.array(hostnameOrWildcard).default([]),
    sslSupportMethod: z.enum(['sni-only', 'vip', 'static-ip']),
    minimumProtocolVersion: z.enum(cloudFrontSecurityPolicies),
  }),
  waf: section({
    name: z.string().regex(/^[\w-]{1,128}$/, 'must be a WAF web ACL name'),
    managedRuleGroups: z
      .array(section({ vendor: z.string().default('AWS'), name: z.string().min(1) }))
      .default([]),
  }),
  notes,
});
