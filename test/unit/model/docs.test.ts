/** docs/spec.md stays in step with the code: every section, rule, policy rule and component is documented. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentGraph, EnvironmentSpecSchema, policyRules, specRules } from '../../../src/model';
import { priceTable } from '../../../src/model/data/prices';
import { validReference } from './helpers';

const docs = readFileSync(join(__dirname, '../../../docs/spec.md'), 'utf8');
/** The table row whose first cell is `id` (tables may be padded). */
const rowOf = (id: string) => docs.split('\n').find((line) => new RegExp(`^\\| \`${id}\`\\s+\\|`).test(line));

test.each(Object.keys(EnvironmentSpecSchema.shape))('section %s is documented', (key) => {
  expect(docs).toMatch(new RegExp(`### .*\`${key}(\\[\\])?\``));
});

test.each(specRules.map((r) => r.id))('validation rule %s is documented', (id) => {
  expect(rowOf(id)).toBeDefined();
});

test.each(policyRules.map((r) => r.id))('policy rule %s is documented with its severities', (id) => {
  const rule = policyRules.find((r) => r.id === id);
  const row = rowOf(id);
  expect(row).toBeDefined();
  const cells = row?.split('|').map((c) => c.trim()) ?? [];
  expect(cells.slice(2, 5)).toEqual(
    ['production', 'staging', 'development'].map((env) => rule?.severity[env as 'production'] ?? '—'),
  );
});

test.each(componentGraph(validReference()).map((n) => [n.id, n.dependsOn] as const))(
  'component %s is documented with its dependencies',
  (id, deps) => {
    const row = rowOf(id);
    expect(row).toBeDefined();
    for (const dep of deps) expect(row).toContain(dep);
  },
);

test('the price table date is the documented one', () => {
  expect(docs).toContain(`as of ${priceTable.asOf}`);
});
