import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes lp-infra sets on its runs; `dev up` registers them. */
export const LpEnvironment = defineSearchAttributeKey('LpEnvironment', SearchAttributeType.KEYWORD);
export const LpComponent = defineSearchAttributeKey('LpComponent', SearchAttributeType.KEYWORD);
export const LpAction = defineSearchAttributeKey('LpAction', SearchAttributeType.KEYWORD);
export const LpDrifted = defineSearchAttributeKey('LpDrifted', SearchAttributeType.BOOL);

export const searchAttributes = [LpEnvironment, LpComponent, LpAction, LpDrifted];
