import type { ComponentRequest, OutputsByKind } from './contract';
import { describeCertificate } from '../aws/acm/certificate';
import { handlerContext } from '../aws/handler-context';
import { HandlerResource } from '../handler-resource';
import { alternativeNames, validatedName, validationNames } from './certificate-names';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { dependencyOutput, resourceTags } from './request-values';
import { cloudFrontRegion } from './waf';

const validationRecordTtl = 300;

/**
 * The CDN's certificate: requested in us-east-1 (CloudFront takes certificates from there
 * only), validated through CNAME records written into the environment's hosted zone.
 */
function program(request: ComponentRequest<'certificate'>) {
  const { domainName, subjectAlternativeNames } = request.spec.cdn.viewerCertificate;
  const alternatives = alternativeNames(domainName, subjectAlternativeNames);
  const certificate = new HandlerResource('aws:acm-certificate', 'certificate', {
    region: cloudFrontRegion,
    props: {
      domainName,
      subjectAlternativeNames: alternatives,
      tags: { ...resourceTags(request), Name: domainName },
    },
  });
  const zoneId = dependencyOutput(request, 'dns', 'zoneId');
  for (const name of validationNames(domainName, alternatives)) {
    const record = certificate.outs.apply((outs) => {
      const found = outs.validationRecords.find((r) => validatedName(r.domainName) === name);
      if (!found) throw new Error(`ACM gave no validation record for ${name}`);
      return found;
    });
    new HandlerResource('aws:route53-record', `validation-${name}`, {
      region: cloudFrontRegion,
      props: {
        zoneId,
        name: record.apply((r) => r.name),
        type: record.apply((r) => r.type),
        ttl: validationRecordTtl,
        values: record.apply((r) => [r.value]),
      },
    });
  }
  return {
    certificateArn: certificate.outs.apply((outs) => outs.arn),
  } satisfies ProgramOutputs<'certificate'>;
}

const failed = ['FAILED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'EXPIRED', 'INACTIVE'];

/** One look: ACM issues the certificate once it sees the validation records. */
async function ready(_request: ComponentRequest<'certificate'>, outputs: OutputsByKind['certificate']) {
  const arn = String(outputs.certificateArn);
  const found = await describeCertificate(arn, handlerContext(cloudFrontRegion));
  const status = found?.Status ?? 'missing';
  if (failed.includes(status))
    throw new Error(`certificate ${arn} is ${status}: ${found?.FailureReason ?? ''}`);
  return { ready: status === 'ISSUED', detail: `certificate for ${found?.DomainName ?? arn} is ${status}` };
}

export const certificateDriver = pulumiDriver<'certificate'>({ program, ready });
