/** The plan as text for a terminal. */
import type { Plan } from './build';

function minutes(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`;
}

const usd = (amount: number) =>
  `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function componentsSection(plan: Plan): string[] {
  const width = Math.max(...plan.components.map((c) => c.id.length));
  const lines = [
    `Components: ${plan.components.length} in ${plan.layers.length} layers (each starts once what it needs is ready)`,
  ];
  plan.layers.forEach((ids, i) => {
    lines.push(`  layer ${i + 1}`);
    for (const id of ids) {
      const c = plan.components.find((x) => x.id === id);
      if (!c) continue;
      lines.push(
        `    ${c.id.padEnd(width)}  ${c.title}${c.dependsOn.length ? `  <- ${c.dependsOn.join(', ')}` : ''}`,
      );
      if (c.summary) lines.push(`    ${' '.repeat(width)}    ${c.summary}`);
      if (c.notes) lines.push(`    ${' '.repeat(width)}    note: ${c.notes}`);
    }
  });
  return lines;
}

function policySection(plan: Plan): string[] {
  if (plan.policy.length === 0) return ['Policy: no findings'];
  const counts = (['deny', 'approve', 'warn'] as const).map(
    (s) => `${plan.policy.filter((f) => f.severity === s).length} ${s}`,
  );
  return [
    `Policy: ${counts.join(', ')}`,
    ...plan.policy.map(
      (f) => `  ${f.severity.toUpperCase().padEnd(7)} ${f.component}: ${f.message} [${f.rule}]`,
    ),
  ];
}

function approvalsLine(plan: Plan): string {
  return plan.approvals.verified
    ? `Approvals: signed by one of ${plan.approvals.approvers.join(', ')} (provisioning.approvers)`
    : 'Approvals: WARNING unverified: no provisioning.approvers, so anyone who can reach Temporal approves under any name (docs/operations.md#approvals)';
}

function costSection(plan: Plan): string[] {
  const { cost } = plan;
  const width = Math.max(...Object.keys(cost.byComponent).map((id) => id.length));
  return [
    `Monthly cost estimate: ${usd(cost.totalMonthlyUsd)} (${cost.currency}, prices as of ${cost.asOf})`,
    ...Object.entries(cost.byComponent).map(
      ([id, amount]) => `  ${id.padEnd(width)}  ${usd(amount).padStart(11)}`,
    ),
    `  source: ${cost.source}`,
    ...cost.assumptions.map((a) => `  assumes: ${a}`),
    `  not included: ${cost.notIncluded.join('; ')}`,
  ];
}

export function formatPlan(plan: Plan): string {
  const where = `${plan.regions.primary}, standby in ${plan.regions.secondary}`;
  return [
    `Plan for ${plan.name} (${plan.environment}${plan.emulated ? ', emulated' : ''}; ${where})`,
    '',
    ...componentsSection(plan),
    '',
    `Critical path: about ${minutes(plan.criticalPath.seconds)} with every independent component in parallel`,
    `  ${plan.criticalPath.path.join(' -> ')}`,
    '',
    ...policySection(plan),
    approvalsLine(plan),
    '',
    ...costSection(plan),
    '',
    'Graph (Mermaid):',
    '```mermaid',
    plan.mermaid,
    '```',
  ].join('\n');
}
