/**
 * How a module says which AWS actions it calls, and on what. Every module that calls AWS
 * exports `awsActions: AwsGrant[]`; src/infra/aws/permissions/policy.ts turns them all into
 * the worker's IAM policy (deploy/iam/lp-infra-worker-policy.json), and a unit test fails
 * when a module sends an SDK command whose action it does not declare.
 */
import { TAG_ENVIRONMENT } from '../tags';

/** An IAM condition block: operator → key → value(s). */
export type Condition = Record<string, Record<string, string | string[]>>;

/** What the generator is asked for; every field has a default (see policy.ts). */
export interface PolicyOptions {
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  partition: string;
  /** Environments the worker may touch (values of the lp-infra:environment tag); empty: any value. */
  environments: string[];
  /** Names the asset buckets start with (spec `storage.bucketNamePrefix`); empty: any bucket. */
  bucketPrefixes: string[];
  /** AWS-managed policies lp-infra attaches to the roles it makes (`AmazonEKSClusterPolicy`, `service-role/…`). */
  managedPolicies: string[];
}

interface GrantBase {
  /** IAM actions, `service:Action`. */
  actions: string[];
  /** Further conditions, fixed or computed from the options. */
  condition?: Condition | ((options: PolicyOptions) => Condition);
  /** Why an action that no SDK call of the module names is needed: a permission AWS checks on the side. */
  implied?: string;
}

/**
 * Which resources a grant reaches. `on` names resource types (keys of resources.ts for the
 * service); every resource (`*`) when absent.
 * - no `when`: not scoped by tag;
 * - `created`: the request tags the new resource with lp-infra:environment (aws:RequestTag);
 * - `created-in-tagged`: that, and the resources named by `on` (the cluster a node group is
 *   made in) already carry the tag, both in one statement;
 * - `tagged`: every resource the call reaches carries the tag (aws:ResourceTag). Written with
 *   Resource `*`: only lp-infra's resources carry the tag, so resource types add nothing.
 */
export type AwsGrant = GrantBase &
  (
    | { when?: undefined; on?: string[] }
    | { when: 'created'; on?: string[] }
    | { when: 'created-in-tagged'; on: string[] }
    | { when: 'tagged'; on?: never }
  );

/** On calls that remove tags: never the tag that scopes the worker. */
export const keepsEnvironmentTag: Condition = {
  'ForAllValues:StringNotEquals': { 'aws:TagKeys': [TAG_ENVIRONMENT] },
};

/** EC2 authorizes the tags of a create call (TagSpecifications) as a CreateTags by that call. */
export function ec2TagOnCreate(createAction: string): AwsGrant & { when: 'created' } {
  return {
    actions: ['ec2:CreateTags'],
    when: 'created',
    condition: { StringEquals: { 'ec2:CreateAction': createAction } },
    implied: `the tags given to ${createAction}`,
  };
}
