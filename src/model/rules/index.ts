import { applicationRules } from './applications';
import { cdnRules } from './cdn';
import { clusterRules } from './cluster';
import { dataServiceRules } from './data-services';
import { dnsRules } from './dns';
import { instanceTypeRules } from './instance-types';
import { kmsReferenceRules } from './kms-references';
import { meshRules } from './mesh';
import { networkRules } from './network';
import { operationsRules } from './operations';
import type { SpecRule } from './rule';
import { storageRules } from './storage';
import { windowRules } from './windows';

export type { SpecRule, Violation } from './rule';

/** Every validation rule beyond types, in report order. */
export const specRules: readonly SpecRule[] = [
  ...networkRules,
  ...clusterRules,
  ...instanceTypeRules,
  ...dataServiceRules,
  ...windowRules,
  ...kmsReferenceRules,
  ...storageRules,
  ...cdnRules,
  ...dnsRules,
  ...meshRules,
  ...applicationRules,
  ...operationsRules,
] as readonly SpecRule[];
