import { CloudFrontClient, GetDistributionCommand } from '@aws-sdk/client-cloudfront';
import * as pulumi from '@pulumi/pulumi';
import type { ComponentRequest, OutputsByKind } from './contract';
import { awsClient } from '../aws/clients';
import { HandlerResource } from '../handler-resource';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { dependencyOutput, regionOf, resourceTags } from './request-values';
import { cloudFrontRegion } from './waf';

/**
 * The CloudFront distribution in front of the assets bucket: origin access (identity or
 * control, as the spec says), the distribution with the spec's cache behaviours, TLS and
 * WAF, and the bucket policy that lets CloudFront, and only CloudFront, read the bucket.
 */
function readPolicy(
  bucketArn: string,
  access: pulumi.Output<{ identityArn: string }>,
  distributionArn: pulumi.Output<string>,
) {
  return pulumi.all([access, distributionArn]).apply(([{ identityArn }, sourceArn]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        identityArn
          ? {
              Sid: 'CloudFrontReadsAssets',
              Effect: 'Allow',
              Principal: { AWS: identityArn },
              Action: 's3:GetObject',
              Resource: `${bucketArn}/*`,
            }
          : {
              Sid: 'CloudFrontReadsAssets',
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:GetObject',
              Resource: `${bucketArn}/*`,
              Condition: { StringEquals: { 'AWS:SourceArn': sourceArn } },
            },
      ],
    }),
  );
}

function program(request: ComponentRequest<'cdn'>) {
  const { cdn } = request.spec;
  const tags = resourceTags(request);
  const bucketName = dependencyOutput(request, 'storage', 'bucketName');
  const originId = `S3-${bucketName}`;

  const access = new HandlerResource('aws:cloudfront-origin-access', 'origin-access', {
    region: cloudFrontRegion,
    props: {
      type: cdn.origin.access,
      name: `${request.spec.name}-assets`,
      comment: `lp-infra ${request.spec.name} assets`,
    },
  });
  const distribution = new HandlerResource('aws:cloudfront-distribution', 'distribution', {
    region: cloudFrontRegion,
    props: {
      callerReference: `lp-infra-${request.spec.name}-cdn`,
      comment: `lp-infra ${request.spec.name} assets`,
      enabled: cdn.enabled,
      ipv6: cdn.ipv6,
      defaultRootObject: cdn.defaultRootObject ?? '',
      origin: access.outs.apply((outs) => ({
        id: originId,
        domainName: dependencyOutput(request, 'storage', 'bucketRegionalDomainName'),
        originAccessIdentity: outs.originAccessIdentity,
        originAccessControlId: outs.originAccessControlId,
      })),
      aliases: cdn.aliases,
      defaultCacheBehavior: cdn.defaultCacheBehavior,
      orderedCacheBehaviors: cdn.orderedCacheBehaviors,
      geoRestriction: { type: cdn.geoRestriction.type, locations: cdn.geoRestriction.locations },
      viewerCertificate: {
        acmCertificateArn: dependencyOutput(request, 'certificate', 'certificateArn'),
        sslSupportMethod: cdn.viewerCertificate.sslSupportMethod,
        minimumProtocolVersion: cdn.viewerCertificate.minimumProtocolVersion,
      },
      webAclArn: dependencyOutput(request, 'waf', 'webAclArn'),
      tags,
    },
  });
  new HandlerResource('aws:s3-bucket-policy', 'bucket-policy', {
    region: regionOf(request),
    props: {
      bucketName,
      policy: readPolicy(
        dependencyOutput(request, 'storage', 'bucketArn'),
        access.outs,
        distribution.outs.apply((outs) => outs.arn),
      ),
    },
  });
  return {
    distributionId: distribution.id,
    domainName: distribution.outs.apply((outs) => outs.domainName),
  } satisfies ProgramOutputs<'cdn'>;
}

async function ready(_request: ComponentRequest<'cdn'>, outputs: OutputsByKind['cdn']) {
  const id = String(outputs.distributionId);
  const { Distribution } = await awsClient(CloudFrontClient, cloudFrontRegion).send(
    new GetDistributionCommand({ Id: id }),
  );
  const status = Distribution?.Status ?? 'missing';
  return { ready: status === 'Deployed', detail: `distribution ${id} is ${status}` };
}

export const cdnDriver = pulumiDriver<'cdn'>({
  program,
  notEmulated: (request) =>
    request.spec.cdn.origin.access === 'origin-access-identity'
      ? [
          'create the CloudFront origin access identity (the emulator has none; its distribution and bucket policy name a placeholder)',
        ]
      : [],
  ready,
});
