import type {
  CacheBehavior,
  DefaultCacheBehavior,
  DistributionConfig,
  GeoRestrictionType,
  ItemSelection,
  Method,
  MinimumProtocolVersion,
  SSLSupportMethod,
  ViewerProtocolPolicy,
} from '@aws-sdk/client-cloudfront';
import { sameMembers } from '../support/same-members';

/** One cache behaviour in lp-infra's terms (the spec's), without CloudFront's Quantity wrappers. */
export interface CacheBehaviorSettings {
  allowedMethods: string[];
  cachedMethods: string[];
  compress: boolean;
  viewerProtocolPolicy: string;
  forwardedValues: { queryString: boolean; headers: string[]; cookies: string };
  ttl: { min: number; default: number; max: number };
}

export interface DistributionSettings {
  /** Stable per environment: CloudFront refuses a second distribution with the same one. */
  callerReference: string;
  comment: string;
  enabled: boolean;
  ipv6: boolean;
  defaultRootObject: string;
  /** An S3 origin reached through an origin access identity or an origin access control. */
  origin: { id: string; domainName: string; originAccessIdentity: string; originAccessControlId: string };
  aliases: string[];
  defaultCacheBehavior: CacheBehaviorSettings;
  orderedCacheBehaviors: (CacheBehaviorSettings & { pathPattern: string })[];
  geoRestriction: { type: string; locations: string[] };
  viewerCertificate: { acmCertificateArn: string; sslSupportMethod: string; minimumProtocolVersion: string };
  webAclArn: string;
}

const list = <T>(items: T[]) => ({ Quantity: items.length, Items: items });

function behaviorConfig(behavior: CacheBehaviorSettings, originId: string): DefaultCacheBehavior {
  return {
    TargetOriginId: originId,
    ViewerProtocolPolicy: behavior.viewerProtocolPolicy as ViewerProtocolPolicy,
    AllowedMethods: {
      ...list(behavior.allowedMethods as Method[]),
      CachedMethods: list(behavior.cachedMethods as Method[]),
    },
    Compress: behavior.compress,
    ForwardedValues: {
      QueryString: behavior.forwardedValues.queryString,
      Headers: list(behavior.forwardedValues.headers),
      Cookies: { Forward: behavior.forwardedValues.cookies as ItemSelection },
    },
    MinTTL: behavior.ttl.min,
    DefaultTTL: behavior.ttl.default,
    MaxTTL: behavior.ttl.max,
  };
}

/** The DistributionConfig that CreateDistribution and UpdateDistribution take. */
export function toDistributionConfig(settings: DistributionSettings): DistributionConfig {
  const { origin } = settings;
  return {
    CallerReference: settings.callerReference,
    Comment: settings.comment,
    Enabled: settings.enabled,
    IsIPV6Enabled: settings.ipv6,
    DefaultRootObject: settings.defaultRootObject,
    Aliases: list(settings.aliases),
    Origins: list([
      {
        Id: origin.id,
        DomainName: origin.domainName,
        S3OriginConfig: { OriginAccessIdentity: origin.originAccessIdentity },
        OriginAccessControlId: origin.originAccessControlId || undefined,
      },
    ]),
    DefaultCacheBehavior: behaviorConfig(settings.defaultCacheBehavior, origin.id),
    CacheBehaviors: list(
      settings.orderedCacheBehaviors.map((behavior): CacheBehavior => ({
        PathPattern: behavior.pathPattern,
        ...behaviorConfig(behavior, origin.id),
      })),
    ),
    Restrictions: {
      GeoRestriction: {
        RestrictionType: settings.geoRestriction.type as GeoRestrictionType,
        ...list(settings.geoRestriction.locations),
      },
    },
    ViewerCertificate: {
      ACMCertificateArn: settings.viewerCertificate.acmCertificateArn,
      SSLSupportMethod: settings.viewerCertificate.sslSupportMethod as SSLSupportMethod,
      MinimumProtocolVersion: settings.viewerCertificate.minimumProtocolVersion as MinimumProtocolVersion,
      CloudFrontDefaultCertificate: false,
    },
    WebACLId: settings.webAclArn,
  };
}

function behaviorSettings(
  config: DefaultCacheBehavior,
  wanted?: CacheBehaviorSettings,
): CacheBehaviorSettings {
  const forwarded = config.ForwardedValues;
  return {
    allowedMethods: sameMembers(config.AllowedMethods?.Items ?? [], wanted?.allowedMethods ?? []),
    cachedMethods: sameMembers(
      config.AllowedMethods?.CachedMethods?.Items ?? [],
      wanted?.cachedMethods ?? [],
    ),
    compress: config.Compress ?? false,
    viewerProtocolPolicy: config.ViewerProtocolPolicy ?? '',
    forwardedValues: {
      queryString: forwarded?.QueryString ?? false,
      headers: sameMembers(forwarded?.Headers?.Items ?? [], wanted?.forwardedValues.headers ?? []),
      cookies: forwarded?.Cookies?.Forward ?? 'none',
    },
    ttl: { min: config.MinTTL ?? 0, default: config.DefaultTTL ?? 0, max: config.MaxTTL ?? 0 },
  };
}

/** The settings a distribution has now (lists in the order of `wanted` where only the order differs). */
export function fromDistributionConfig(
  config: DistributionConfig,
  wanted: DistributionSettings,
): DistributionSettings {
  const origin = config.Origins?.Items?.[0];
  const certificate = config.ViewerCertificate;
  const geo = config.Restrictions?.GeoRestriction;
  return {
    callerReference: config.CallerReference ?? wanted.callerReference,
    comment: config.Comment ?? '',
    enabled: config.Enabled ?? false,
    ipv6: config.IsIPV6Enabled ?? false,
    defaultRootObject: config.DefaultRootObject ?? '',
    origin: {
      id: origin?.Id ?? '',
      domainName: origin?.DomainName ?? '',
      originAccessIdentity: origin?.S3OriginConfig?.OriginAccessIdentity ?? '',
      originAccessControlId: origin?.OriginAccessControlId ?? '',
    },
    aliases: sameMembers(config.Aliases?.Items ?? [], wanted.aliases),
    defaultCacheBehavior: behaviorSettings(
      config.DefaultCacheBehavior ?? ({} as DefaultCacheBehavior),
      wanted.defaultCacheBehavior,
    ),
    orderedCacheBehaviors: (config.CacheBehaviors?.Items ?? []).map((behavior, index) => ({
      pathPattern: behavior.PathPattern ?? '',
      ...behaviorSettings(behavior, wanted.orderedCacheBehaviors[index]),
    })),
    geoRestriction: {
      type: geo?.RestrictionType ?? 'none',
      locations: sameMembers(geo?.Items ?? [], wanted.geoRestriction.locations),
    },
    viewerCertificate: {
      acmCertificateArn: certificate?.ACMCertificateArn ?? '',
      sslSupportMethod: certificate?.SSLSupportMethod ?? '',
      minimumProtocolVersion: certificate?.MinimumProtocolVersion ?? '',
    },
    webAclArn: config.WebACLId ?? '',
  };
}
