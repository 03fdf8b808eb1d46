/** The one error type a spec problem produces: every problem at once, each with path, value and rule. */
import type { core } from 'zod';
import { formatPath } from './paths';
import { declaredKeysFrom, explainUnknownKey } from './unknown-keys';

export interface SpecIssue {
  /** Where in the spec, e.g. `cluster.nodeGroups[1].minSize`; empty for the document as a whole. */
  path: string;
  /** The offending value, when there is one. */
  value?: unknown;
  /** What is wrong and, where it can, how to fix it. */
  message: string;
  /** The rule that failed: `schema`, `yaml-syntax`, or a rule id from docs/spec.md. */
  rule: string;
  /** For YAML syntax errors: the file, line and column (1-based). */
  file?: string;
  line?: number;
  column?: number;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A message for one report line: an oversized value quoted in it is cut, not repeated whole. */
function shortMessage(message: string): string {
  return message.length > 300 ? `${message.slice(0, 240)}... (${message.length} characters in all)` : message;
}

function describeIssue(issue: SpecIssue): string {
  const where =
    issue.line !== undefined
      ? `${issue.file ?? ''}:${issue.line}:${issue.column ?? 1}`
      : issue.path || '(spec)';
  const value = issue.line === undefined && 'value' in issue ? ` = ${describeValue(issue.value)}` : '';
  return `  ${where}${value}\n      ${shortMessage(issue.message)} [${issue.rule}]`;
}

export class SpecError extends Error {
  override readonly name = 'SpecError';

  constructor(
    readonly source: string,
    readonly issues: SpecIssue[],
  ) {
    super(
      `${source}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the environment spec ` +
        `(nothing was contacted)\n${issues.map(describeIssue).join('\n')}`,
    );
  }
}

function bound(
  issue: { origin: string; inclusive?: boolean },
  limit: number | bigint,
  word: 'least' | 'most',
): string {
  const strict = issue.inclusive === false;
  if (issue.origin === 'array' || issue.origin === 'set')
    return `needs at ${word} ${limit} item${limit === 1 ? '' : 's'}`;
  if (issue.origin === 'string') return `must be at ${word} ${limit} characters long`;
  return strict
    ? `must be ${word === 'least' ? 'greater' : 'less'} than ${limit}`
    : `must be at ${word} ${limit}`;
}

/** zod's default wording, in the terms of a spec reader. Custom messages pass through. */
function schemaMessage(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `required (${issue.expected})`;
      if (issue.expected === 'int') return 'must be a whole number';
      return issue.message.startsWith('Invalid input')
        ? `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`
        : issue.message;
    case 'too_small':
      return issue.message.startsWith('Too small') ? bound(issue, issue.minimum, 'least') : issue.message;
    case 'too_big':
      return issue.message.startsWith('Too big') ? bound(issue, issue.maximum, 'most') : issue.message;
    case 'invalid_value':
      return issue.message.startsWith('Invalid option') || issue.message.startsWith('Invalid input')
        ? `must be ${issue.values.length === 1 ? '' : 'one of: '}${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
        : issue.message;
    case 'invalid_key':
      return `invalid key: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    default:
      return issue.message;
  }
}

/** zod's issues in the spec's terms: one per key for unknown keys, "required" for missing ones. */
export function issuesFromSchema(zodIssues: readonly core.$ZodIssue[]): SpecIssue[] {
  return zodIssues.flatMap((issue): SpecIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      const declared = declaredKeysFrom(issue.message) ?? [];
      const input = (issue.input ?? {}) as Record<string, unknown>;
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        value: input[key],
        message: explainUnknownKey(key, declared),
        rule: 'schema',
      }));
    }
    return [
      { path: formatPath(issue.path), value: issue.input, message: schemaMessage(issue), rule: 'schema' },
    ];
  });
}
