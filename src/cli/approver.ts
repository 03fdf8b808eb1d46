/**
 * Who approves: `lp-infra approver keygen`, and the signed decisions that `approve`, `reject`,
 * `monitor --approve|--reject` and `drift --approve|--reject` send. The private key stays on
 * the approver's machine; the spec lists the public key (provisioning.approvers).
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Command } from 'commander';
import { claimText, claimType, type ApprovalClaim, type SignedClaim } from '../approvals/claim';
import { approverNamePattern } from '../model/schema/operations';
import { normalizedPublicKey } from '../model/values/public-keys';
import { approvalRequestQuery, decideApproval, type ApprovalDecision } from '../workflows/approval';
import { CliError } from './connect';
import { ExitCode } from './exit-codes';
import { jsonOption, withExamples } from './help';
import { printJson } from './output';

/** The environment variable naming the approver's private key file (like --key). */
export const approverKeyVariable = 'LP_INFRA_APPROVER_KEY';

export interface ApproverKey {
  file: string;
  privateKey: KeyObject;
  /** The public key's 32 bytes in base64, as normalizedPublicKey spells a listed key. */
  publicKey: string;
}

/** The raw public key in base64, from the DER SubjectPublicKeyInfo (12 bytes of header). */
function rawPublicKey(key: KeyObject): string {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64');
}

/** Reads an Ed25519 private key (PEM, PKCS#8: what keygen and `openssl genpkey -algorithm ed25519` write). */
export function loadApproverKey(file: string): ApproverKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (err) {
    throw new CliError(
      `cannot read an approver key from ${file}: ${err instanceof Error ? err.message : err}`,
      ExitCode.invalidInput,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new CliError(
      `${file} holds a ${privateKey.asymmetricKeyType} key; approvals are signed with Ed25519 ('lp-infra approver keygen')`,
      ExitCode.invalidInput,
    );
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
    console.error(`warning: ${file} can be read by other users; chmod 600 ${file}`);
  return { file, privateKey, publicKey: rawPublicKey(privateKey) };
}

export function signClaim(claim: ApprovalClaim, privateKey: KeyObject): SignedClaim {
  const text = claimText(claim);
  return { claim: text, signature: sign(null, Buffer.from(text, 'utf8'), privateKey).toString('base64') };
}

export interface DecideOptions {
  by?: string;
  reason?: string;
  /** The private key file; default: $LP_INFRA_APPROVER_KEY. */
  key?: string;
}

export interface SentDecision {
  workflowId: string;
  /** The run's answer, e.g. `approved by alice (signature verified): database`. */
  message: string;
  by: string;
  signed: boolean;
}

/**
 * The decision for the run behind `handle`. When its spec lists approvers, the run says what
 * it waits for (approvalRequest query) and the decision is a claim naming that run and that
 * step, signed with the key; the key must be one the list holds. Without a list the decision
 * goes unsigned, as before approvers existed, and the run records it unverified.
 */
export async function decisionFor(
  handle: WorkflowHandle,
  approved: boolean,
  opts: DecideOptions,
): Promise<ApprovalDecision> {
  const request = await handle.query(approvalRequestQuery).catch(() => undefined);
  const approvers = request?.approvers;
  if (!request || !approvers?.length) {
    if (request)
      console.error(
        `warning: ${handle.workflowId}'s spec lists no provisioning.approvers: the decision is recorded as given, unverified`,
      );
    return { approved, by: opts.by ?? process.env.USER ?? 'unknown', reason: opts.reason };
  }
  const names = approvers.map((a) => a.name).join(', ');
  const file = opts.key ?? process.env[approverKeyVariable];
  if (!file)
    throw new CliError(
      `${handle.workflowId} accepts only decisions signed by one of its approvers (${names}): pass --key <file> or set ${approverKeyVariable}`,
      ExitCode.refused,
    );
  const key = loadApproverKey(file);
  const listed = approvers.find((a) => normalizedPublicKey(a.publicKey) === key.publicKey);
  if (!listed)
    throw new CliError(
      `the key in ${file} is not one of ${handle.workflowId}'s approvers (${names}); add its public key to provisioning.approvers`,
      ExitCode.refused,
    );
  if (opts.by !== undefined && opts.by !== listed.name)
    throw new CliError(
      `--by ${opts.by} does not match the key in ${file}, which is ${listed.name}'s`,
      ExitCode.invalidInput,
    );
  const claim: ApprovalClaim = {
    type: claimType,
    workflowId: request.workflowId,
    runId: request.runId,
    what: request.what,
    decision: approved ? 'approved' : 'rejected',
    approver: listed.name,
    reason: opts.reason,
    issuedAt: new Date().toISOString(),
    nonce: randomBytes(16).toString('base64url'),
  };
  return { approved, by: listed.name, reason: opts.reason, signed: signClaim(claim, key.privateKey) };
}

/** Sends the decision; a refusal by the run (its validator) ends the command with exit 3 and the reason. */
export async function sendDecision(
  handle: WorkflowHandle,
  approved: boolean,
  opts: DecideOptions,
): Promise<SentDecision> {
  const decision = await decisionFor(handle, approved, opts);
  const message = await handle.executeUpdate(decideApproval, { args: [decision] }).catch((err) => {
    const reason = err instanceof WorkflowUpdateFailedError && err.cause ? err.cause.message : err;
    throw new CliError(
      `${handle.workflowId}: ${reason instanceof Error ? reason.message : reason}`,
      ExitCode.refused,
    );
  });
  return { workflowId: handle.workflowId, message, by: decision.by, signed: Boolean(decision.signed) };
}

/** Help for the --key option every approve/reject command takes. */
export const keyOptionHelp = `the approver's Ed25519 private key, to sign the decision (default: $${approverKeyVariable})`;

function defaultKeyFile(name: string): string {
  const config = process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(config, 'lp-infra', `approver-${name}.key`);
}

export interface GeneratedKey {
  name: string;
  privateKeyFile: string;
  publicKeyFile: string;
  /** The public key's 32 bytes in base64: the spec's provisioning.approvers[].publicKey. */
  publicKey: string;
}

/** Writes a new key pair: the private key readable by its owner only, the public key beside it. */
export function generateApproverKey(name: string, file = defaultKeyFile(name), force = false): GeneratedKey {
  if (!approverNamePattern.test(name))
    throw new CliError(
      `--name ${JSON.stringify(name)}: 1-64 letters, digits and . _ @ + -, such as alice or alice@example.com`,
      ExitCode.invalidInput,
    );
  const publicKeyFile = `${file.replace(/\.key$/, '')}.pub`;
  if (!force && existsSync(file))
    throw new CliError(`${file} exists; pass --force to replace it, or another --out`, ExitCode.invalidInput);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  writeFileSync(publicKeyFile, publicKey.export({ format: 'pem', type: 'spki' }));
  return { name, privateKeyFile: file, publicKeyFile, publicKey: rawPublicKey(privateKey) };
}

/** The entry to add to the spec, as YAML. */
export function specSnippet(key: GeneratedKey): string {
  return [
    'provisioning:',
    '  approvers:',
    `    - name: ${key.name}`,
    `      publicKey: ${key.publicKey}`,
  ].join('\n');
}

export function registerApprover(program: Command): void {
  const approver = program
    .command('approver')
    .description('Approver keys: who may approve or reject what a run waits for');
  const keygen = approver
    .command('keygen')
    .description(
      'Write an Ed25519 key pair for an approver and print the provisioning.approvers entry for the spec',
    )
    .requiredOption('--name <name>', 'the approver, as the spec and the runs will name them')
    .option('--out <file>', 'the private key file (default: ~/.config/lp-infra/approver-<name>.key)')
    .option('--force', 'replace an existing key file');
  jsonOption(keygen, 'the files and the public key');
  withExamples(keygen, [
    'lp-infra approver keygen --name alice',
    `export ${approverKeyVariable}=~/.config/lp-infra/approver-alice.key && lp-infra approve reference database`,
  ]);
  keygen.action((opts: { name: string; out?: string; force?: boolean; json?: boolean }) => {
    const key = generateApproverKey(opts.name, opts.out && path.resolve(opts.out), opts.force);
    if (opts.json)
      return printJson({
        ...key,
        spec: { provisioning: { approvers: [{ name: key.name, publicKey: key.publicKey }] } },
      });
    console.error(`wrote ${key.privateKeyFile} (private: keep it to yourself) and ${key.publicKeyFile}`);
    console.error(`sign with it: export ${approverKeyVariable}=${key.privateKeyFile} (or --key)`);
    console.error('add this to the spec of each environment the approver may decide for:');
    console.log(specSnippet(key));
  });
}
