/**
 * Writes the worker's IAM policy (scripts/iam-policy.sh): the whole document and the parts to
 * attach as customer-managed policies.
 *
 *   iam-policy.sh [--environment <name>]... [--bucket-prefix <prefix>]... [--partition <p>]
 *                 [--out <dir>] [--check] [--explain]
 *
 * Without options it writes deploy/iam as committed (any environment, any bucket). --check
 * writes nothing and exits 1 when the files differ from what would be written; --explain
 * lists the actions no SDK call names, with why AWS checks them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { projectRoot } from '../../toolchain';
import { impliedActions, policyParts, workerPolicy, type PolicyDocument } from './policy';

export const policyDir = path.join(projectRoot, 'deploy', 'iam');
const baseName = 'lp-infra-worker-policy';
const ours = new RegExp(`^${baseName}(\\.part\\d+)?\\.json$`);

/** As the repository's formatter writes JSON, so the files pass its check. */
async function text(document: PolicyDocument, file: string): Promise<string> {
  const options = (await resolveConfig(file)) ?? {};
  return format(JSON.stringify(document, null, 2), { ...options, filepath: file });
}

/** File name → content of every file the policy is written as. */
export async function policyFiles(document = workerPolicy()): Promise<Record<string, string>> {
  const documents: [string, PolicyDocument][] = [
    [`${baseName}.json`, document],
    ...policyParts(document).map((part, i): [string, PolicyDocument] => [
      `${baseName}.part${i + 1}.json`,
      part,
    ]),
  ];
  return Object.fromEntries(
    await Promise.all(
      documents.map(async ([name, doc]) => [name, await text(doc, path.join(policyDir, name))]),
    ),
  );
}

/** The policy files in a folder now (written by this script earlier). */
export function writtenPolicyFiles(dir = policyDir): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => ours.test(name))
      .map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]),
  );
}

async function main() {
  const { values } = parseArgs({
    options: {
      environment: { type: 'string', multiple: true, default: [] },
      'bucket-prefix': { type: 'string', multiple: true, default: [] },
      partition: { type: 'string', default: 'aws' },
      out: { type: 'string', default: policyDir },
      check: { type: 'boolean', default: false },
      explain: { type: 'boolean', default: false },
    },
  });
  if (values.explain) {
    const lines = impliedActions().map(({ action, why, module }) => `${action}: ${why} (src/${module})`);
    for (const line of new Set(lines)) console.log(line);
    return;
  }
  const files = await policyFiles(
    workerPolicy({
      partition: values.partition,
      environments: values.environment,
      bucketPrefixes: values['bucket-prefix'],
    }),
  );
  const dir = path.resolve(values.out);
  const now = writtenPolicyFiles(dir);
  const stale = Object.keys(now).filter((name) => !(name in files));
  const changed = Object.keys(files).filter((name) => now[name] !== files[name]);
  if (values.check) {
    for (const name of [...changed, ...stale]) console.error(`differs: ${path.join(dir, name)}`);
    if (changed.length || stale.length) {
      console.error('run bash scripts/iam-policy.sh to write them');
      process.exit(1);
    }
    return;
  }
  mkdirSync(dir, { recursive: true });
  for (const name of stale) rmSync(path.join(dir, name));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  console.log(`${Object.keys(files).length} files in ${dir}: ${Object.keys(files).join(', ')}`);
}

if (require.main === module) void main();
