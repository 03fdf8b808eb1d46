import type { ComponentRequest } from './contract';
import { HandlerResource } from '../handler-resource';
import { pulumiDriver, type ProgramOutputs } from './pulumi-driver';
import { regionOf, resourceTags } from './request-values';

/** Days a deleted key stays recoverable (the most KMS allows): data encrypted with it is not lost by mistake. */
const keyDeletionWindowDays = 30;

/** The customer-managed keys of one region, each with its alias; output `key:<alias>` is the key's ARN. */
function program(request: ComponentRequest<'kms'>) {
  const region = regionOf(request);
  const outputs: ProgramOutputs<'kms'> = {};
  for (const key of request.spec.kms.keys.filter((k) => k.region === request.node.region)) {
    const made = new HandlerResource('aws:kms-key', `key-${key.alias}`, {
      region,
      props: {
        alias: key.alias,
        description: key.description ?? `lp-infra ${request.spec.name}: ${key.alias}`,
        enableKeyRotation: key.enableKeyRotation,
        deletionWindowDays: keyDeletionWindowDays,
        tags: { ...resourceTags(request), Name: key.alias },
      },
    });
    outputs[`key:${key.alias}`] = made.outs.apply((outs) => outs.arn);
  }
  return outputs;
}

export const kmsDriver = pulumiDriver<'kms'>({ program });
