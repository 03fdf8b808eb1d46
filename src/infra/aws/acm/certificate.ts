import {
  ACMClient,
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  ListTagsForCertificateCommand,
  RemoveTagsFromCertificateCommand,
  RequestCertificateCommand,
  paginateListCertificates,
  type CertificateDetail,
} from '@aws-sdk/client-acm';
import type { HandlerContext, ResourceHandler } from '../../pulumi/resource-handler';
import { awsClient } from '../clients';
import { ignoreMissing, unlessMissing } from '../support/errors';
import { pollUntil } from '../support/poll';
import { sameMembers } from '../support/same-members';
import { tagChanges } from '../support/tag-changes';
import { fromAwsTags, TAG_COMPONENT, TAG_ENVIRONMENT, toAwsTags } from '../tags';
import { keepsEnvironmentTag, type AwsGrant } from '../permissions/grants';

/**
 * A public ACM certificate validated through DNS. Creating it returns once ACM has
 * published the validation records (a few seconds), not once it is issued: the records
 * are written next, and the component's readiness check waits for ISSUED.
 */
export interface CertificateProps {
  domainName: string;
  /** Other names than domainName. */
  subjectAlternativeNames: string[];
  tags: Record<string, string>;
}

export interface ValidationRecord {
  domainName: string;
  name: string;
  type: string;
  value: string;
}

export interface CertificateOuts {
  arn: string;
  validationRecords: ValidationRecord[];
}

const notFound = 'ResourceNotFoundException';
const acm = (ctx: HandlerContext) => awsClient(ACMClient, ctx.region);

export async function describeCertificate(
  arn: string,
  ctx: HandlerContext,
): Promise<CertificateDetail | undefined> {
  const found = await unlessMissing(
    acm(ctx).send(new DescribeCertificateCommand({ CertificateArn: arn })),
    notFound,
  );
  return found?.Certificate;
}

async function certificateTags(arn: string, ctx: HandlerContext) {
  return fromAwsTags((await acm(ctx).send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags);
}

/** A certificate for the same domain that a first attempt requested for this environment and component. */
async function findByTags(props: CertificateProps, ctx: HandlerContext): Promise<string | undefined> {
  const pages = paginateListCertificates(
    { client: acm(ctx) },
    { CertificateStatuses: ['PENDING_VALIDATION', 'ISSUED'] },
  );
  for await (const page of pages) {
    for (const summary of page.CertificateSummaryList ?? []) {
      if (summary.DomainName !== props.domainName || !summary.CertificateArn) continue;
      const tags = await certificateTags(summary.CertificateArn, ctx);
      if (![TAG_ENVIRONMENT, TAG_COMPONENT].every((key) => tags[key] === props.tags[key])) continue;
      // A replacement (other names) must not adopt the certificate it replaces.
      const found = await describeCertificate(summary.CertificateArn, ctx);
      const names = new Set([props.domainName, ...props.subjectAlternativeNames]);
      const foundNames = new Set(found?.SubjectAlternativeNames ?? [props.domainName]);
      if (names.size === foundNames.size && [...names].every((name) => foundNames.has(name)))
        return summary.CertificateArn;
    }
  }
  return undefined;
}

function validationRecords(certificate: CertificateDetail): ValidationRecord[] {
  return (certificate.DomainValidationOptions ?? []).map((option) => ({
    domainName: option.DomainName ?? '',
    name: option.ResourceRecord?.Name ?? '',
    type: option.ResourceRecord?.Type ?? '',
    value: option.ResourceRecord?.Value ?? '',
  }));
}

/** ACM publishes the validation records shortly after the request; there is no waiter for that. */
async function withValidationRecords(arn: string, ctx: HandlerContext): Promise<CertificateDetail> {
  const published = (certificate: CertificateDetail | undefined) =>
    certificate !== undefined &&
    validationRecords(certificate).every((record) => record.name && record.value);
  const certificate = await pollUntil(() => describeCertificate(arn, ctx), published, {
    waitingFor: `the DNS validation records of ${arn}`,
    timeoutSeconds: 120,
    intervalSeconds: 2,
  });
  return certificate as CertificateDetail;
}

const outsOf = (certificate: CertificateDetail): CertificateOuts => ({
  arn: certificate.CertificateArn ?? '',
  validationRecords: validationRecords(certificate),
});

export const certificate: ResourceHandler<CertificateProps, CertificateOuts> = {
  async create(props, ctx) {
    const existing = await findByTags(props, ctx);
    const arn =
      existing ??
      (
        await acm(ctx).send(
          new RequestCertificateCommand({
            DomainName: props.domainName,
            ...(props.subjectAlternativeNames.length
              ? { SubjectAlternativeNames: [props.domainName, ...props.subjectAlternativeNames] }
              : {}),
            ValidationMethod: 'DNS',
            Tags: toAwsTags(props.tags),
          }),
        )
      ).CertificateArn;
    if (!arn) throw new Error(`ACM returned no certificate for ${props.domainName}`);
    ctx.made?.(arn);
    return { id: arn, outs: outsOf(await withValidationRecords(arn, ctx)) };
  },

  async read(id, current, ctx) {
    const found = await describeCertificate(id, ctx);
    if (!found) return undefined;
    const otherNames = (found.SubjectAlternativeNames ?? []).filter((name) => name !== found.DomainName);
    return {
      props: {
        domainName: found.DomainName ?? '',
        subjectAlternativeNames: sameMembers(otherNames, current.props.subjectAlternativeNames),
        tags: await certificateTags(id, ctx),
      },
      outs: outsOf(found),
    };
  },

  async update(id, current, news, ctx) {
    const changes = tagChanges(current.props.tags, news.tags);
    if (changes.removed.length) {
      await acm(ctx).send(
        new RemoveTagsFromCertificateCommand({
          CertificateArn: id,
          Tags: changes.removed.map((Key) => ({ Key })),
        }),
      );
    }
    if (Object.keys(changes.set).length) {
      await acm(ctx).send(
        new AddTagsToCertificateCommand({ CertificateArn: id, Tags: toAwsTags(changes.set) }),
      );
    }
    return current.outs;
  },

  async delete(id, _current, ctx) {
    await ignoreMissing(acm(ctx).send(new DeleteCertificateCommand({ CertificateArn: id })), notFound);
  },

  // A new certificate is issued before the old one, which CloudFront may still use, goes.
  replaceOnChanges: ['domainName', 'subjectAlternativeNames'],
};

/** AWS actions of this module, for the worker's IAM policy (permissions/policy.ts). */
export const awsActions: AwsGrant[] = [
  { actions: ['acm:ListCertificates', 'acm:DescribeCertificate', 'acm:ListTagsForCertificate'] },
  { actions: ['acm:RequestCertificate'], when: 'created' },
  {
    actions: ['acm:AddTagsToCertificate'],
    when: 'created',
    implied: 'the tags given to RequestCertificate',
  },
  { actions: ['acm:AddTagsToCertificate', 'acm:DeleteCertificate'], when: 'tagged' },
  { actions: ['acm:RemoveTagsFromCertificate'], when: 'tagged', condition: keepsEnvironmentTag },
];
