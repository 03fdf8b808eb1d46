import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  resolveSpecDocument,
  SpecError,
  validateSpec,
  type EnvironmentSpec,
  type SpecIssue,
} from '../../../src/model';

export const environmentsDir = join(__dirname, '../../../environments');
export const referencePath = join(environmentsDir, 'reference.yaml');
export const localPath = join(environmentsDir, 'local.yaml');
export const referenceText = readFileSync(referencePath, 'utf8');

/** The date the date-dependent policy and prices are judged by in tests. */
export const testDay = '2026-11-27';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Document = any;

/** A fresh copy of reference.yaml as parsed YAML (before validation), to change in a test. */
const parsedReference = resolveSpecDocument(referenceText, referencePath);

export function referenceDocument(): Document {
  return structuredClone(parsedReference);
}

export function validReference(): EnvironmentSpec {
  return validateSpec(referenceDocument(), referencePath);
}

/** The issues validation reports for the reference after `change`; [] when it passes. */
export function issuesAfter(change: (doc: Document) => void): SpecIssue[] {
  const doc = referenceDocument();
  change(doc);
  try {
    validateSpec(doc, 'test.yaml');
    return [];
  } catch (err) {
    if (err instanceof SpecError) return err.issues;
    throw err;
  }
}

/** Paths of the issues a rule reported. */
export function pathsFor(issues: SpecIssue[], rule: string): string[] {
  return issues.filter((i) => i.rule === rule).map((i) => i.path);
}
