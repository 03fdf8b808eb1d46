/**
 * Signed approvals: a claim signed with Node's crypto (as `lp-infra approve` does) verifies with
 * the pure-JS check the workflow runs, and every way a claim can be wrong is refused by name.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import {
  claimText,
  claimType,
  verifyDecision,
  type ApprovalClaim,
  type ClaimContext,
  type DecisionFields,
} from '../../../src/approvals/claim';
import { signClaim } from '../../../src/cli/approver';

function approver(name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    name,
    privateKey,
    listed: { name, publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString() },
  };
}

const alice = approver('alice');
const bob = approver('bob');
const mallory = approver('mallory');

const context = (overrides: Partial<ClaimContext> = {}): ClaimContext => ({
  workflowId: 'provision/reference/database',
  runId: 'run-1',
  what: 'database',
  approvers: [alice.listed, bob.listed],
  usedNonces: new Set(),
  ...overrides,
});

const claim = (overrides: Partial<ApprovalClaim> = {}): ApprovalClaim => ({
  type: claimType,
  workflowId: 'provision/reference/database',
  runId: 'run-1',
  what: 'database',
  decision: 'approved',
  approver: 'alice',
  reason: 'change 42',
  issuedAt: '2026-11-27T10:00:00.000Z',
  nonce: 'n-1',
  ...overrides,
});

/** The decision as the CLI sends it: the claim's fields next to the signed claim. */
function decision(c: ApprovalClaim, key = alice.privateKey): DecisionFields {
  return { approved: c.decision === 'approved', by: c.approver, reason: c.reason, signed: signClaim(c, key) };
}

const refusal = (d: DecisionFields, ctx = context()) => {
  const result = verifyDecision(d, ctx);
  if (!(result instanceof Error)) throw new Error(`accepted: ${JSON.stringify(result)}`);
  return result.message;
};

test('a claim signed by a listed approver verifies, and yields what was signed', () => {
  const signed = claim({ decision: 'rejected', approver: 'bob', reason: undefined });
  const result = verifyDecision(decision(signed, bob.privateKey), context());
  expect(result).toEqual(JSON.parse(claimText(signed)));
});

test('the signature is Ed25519 over the exact claim text (what openssl or any Ed25519 signer makes)', () => {
  const text = claimText(claim());
  const signature = sign(null, Buffer.from(text), alice.privateKey).toString('base64');
  const result = verifyDecision(
    { approved: true, by: 'alice', reason: 'change 42', signed: { claim: text, signature } },
    context(),
  );
  expect(result).not.toBeInstanceOf(Error);
});

test('an unsigned decision is refused when approvers are listed, naming them and how to sign', () => {
  expect(refusal({ approved: true, by: 'alice' })).toMatch(
    /unsigned decision refused.*\(alice, bob\).*--key <file>.*LP_INFRA_APPROVER_KEY/,
  );
});

test('an approver outside the list is refused by name, even with a good signature of their own', () => {
  expect(refusal(decision(claim({ approver: 'mallory' }), mallory.privateKey))).toBe(
    "'mallory' is not an approver of this environment (provisioning.approvers: alice, bob)",
  );
});

test('a wrong signature is refused: another key, or a claim altered after signing', () => {
  expect(refusal(decision(claim(), mallory.privateKey))).toMatch(
    /signature does not verify with alice's public key/,
  );
  const signed = decision(claim());
  const altered = {
    ...signed,
    signed: { ...signed.signed!, claim: signed.signed!.claim.replace('change 42', 'change 43') },
  };
  expect(refusal({ ...altered, reason: 'change 43' })).toMatch(/signature does not verify/);
  expect(refusal({ ...signed, signed: { ...signed.signed!, signature: 'not base64!' } })).toMatch(
    /signature does not verify/,
  );
  const notText = { ...signed.signed!, signature: 42 as unknown as string };
  expect(refusal({ ...signed, signed: notText })).toMatch(/signature does not verify/);
});

test('a claim for another workflow, another run or another step is refused', () => {
  expect(refusal(decision(claim({ workflowId: 'provision/reference/cluster' })))).toBe(
    'the claim is for provision/reference/cluster (run run-1), not provision/reference/database (run run-1)',
  );
  expect(refusal(decision(claim({ runId: 'run-0' })))).toMatch(/\(run run-0\), not .* \(run run-1\)/);
  expect(refusal(decision(claim({ what: 'cluster' })))).toBe(
    "the claim decides 'cluster', but this run waits for 'database'",
  );
});

test('the Update must say what the claim says: decision, approver, reason', () => {
  const signed = decision(claim());
  expect(refusal({ ...signed, approved: false })).toMatch(
    /Update says rejected by alice, the signed claim approved by alice/,
  );
  expect(refusal({ ...signed, by: 'bob' })).toMatch(/Update says approved by bob/);
  expect(refusal({ ...signed, reason: 'another' })).toMatch(/reason differs/);
});

test('a nonce already used in this run is a replay', () => {
  expect(refusal(decision(claim()), context({ usedNonces: new Set(['n-1']) }))).toMatch(
    /already used in this run \(nonce n-1\): a replayed approval/,
  );
});

test('text that is not a claim is refused as such', () => {
  const signature = (text: string) => sign(null, Buffer.from(text), alice.privateKey).toString('base64');
  const sent = (text: string): DecisionFields => ({
    approved: true,
    by: 'alice',
    signed: { claim: text, signature: signature(text) },
  });
  expect(refusal(sent('{oops'))).toBe('the signed claim is not JSON');
  expect(refusal(sent(JSON.stringify({ ...claim(), type: 'other' })))).toMatch(/not an lp-infra approval/);
  expect(refusal(sent(JSON.stringify({ ...claim(), nonce: '' })))).toBe('the signed claim lacks nonce');
});

test('a listed key that is not a key (a spec that skipped validation) is named', () => {
  const ctx = context({ approvers: [{ name: 'alice', publicKey: 'AAAA' }] });
  expect(refusal(decision(claim()), ctx)).toMatch(/alice's public key in the spec is not valid/);
});
