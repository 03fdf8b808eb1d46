import type { ComponentRequest } from './contract';
import { HandlerResource } from '../handler-resource';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { resourceTags } from './request-values';

/** CloudFront-scope web ACLs are managed through us-east-1, wherever the environment is. */
export const cloudFrontRegion = 'us-east-1';

function program(request: ComponentRequest<'waf'>) {
  const { waf } = request.spec.cdn;
  const acl = new HandlerResource('aws:waf-web-acl', 'web-acl', {
    region: cloudFrontRegion,
    props: {
      name: waf.name,
      scope: 'CLOUDFRONT',
      managedRuleGroups: waf.managedRuleGroups,
      tags: resourceTags(request),
    },
  });
  return { webAclArn: acl.outs.apply((outs) => outs.arn) } satisfies ProgramOutputs<'waf'>;
}

export const wafDriver = pulumiDriver<'waf'>({ program });
