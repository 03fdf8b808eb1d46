/** Turns a parsed document into an EnvironmentSpec, or a SpecError listing every problem found. */
import { issuesFromSchema, SpecError, type SpecIssue } from './errors';
import { formatPath } from './paths';
import { specRules } from './rules';
import { EnvironmentSpecSchema, type EnvironmentSpec, type SpecSection } from './schema';
import { secretKeyIssues } from './secret-keys';

function ruleIssues(sections: Partial<EnvironmentSpec>): SpecIssue[] {
  return specRules
    .filter((rule) => rule.reads.every((section) => sections[section] !== undefined))
    .flatMap((rule) =>
      rule.check(sections as EnvironmentSpec).map((violation) => ({
        path: formatPath(violation.path),
        ...('value' in violation ? { value: violation.value } : {}),
        message: violation.message,
        rule: rule.id,
      })),
    );
}

/** The sections that are well typed on their own, so rules over them can still run. */
function wellTypedSections(raw: unknown): Partial<EnvironmentSpec> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const sections: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(EnvironmentSpecSchema.shape)) {
    const parsed = schema.safeParse((raw as Record<string, unknown>)[key]);
    if (parsed.success) sections[key as SpecSection] = parsed.data;
  }
  return sections as Partial<EnvironmentSpec>;
}

/** Validates a document (already parsed from YAML or JSON). `source` names it in the report. */
export function validateSpec(raw: unknown, source = 'spec'): EnvironmentSpec {
  const secretIssues = secretKeyIssues(raw);
  const secretPaths = new Set(secretIssues.map((issue) => issue.path));
  const parsed = EnvironmentSpecSchema.safeParse(raw, { reportInput: true });
  const issues = parsed.success
    ? [...secretIssues, ...ruleIssues(parsed.data)]
    : [
        ...secretIssues,
        ...issuesFromSchema(parsed.error.issues).filter((issue) => !secretPaths.has(issue.path)),
        ...ruleIssues(wellTypedSections(raw)),
      ];
  if (issues.length > 0 || !parsed.success) throw new SpecError(source, issues);
  return parsed.data;
}
