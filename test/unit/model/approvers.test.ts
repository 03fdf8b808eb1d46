/** provisioning.approvers: names and Ed25519 public keys, refused by path before anything is contacted. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  buildPlan,
  formatPlan,
  loadSpecFile,
  SpecError,
  validateSpec,
  type SpecIssue,
} from '../../../src/model';
import { fromBase64, normalizedPublicKey, toBase64 } from '../../../src/model/values/public-keys';
import { issuesAfter, referenceDocument, testDay, type Document } from './helpers';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
  return { pem, raw, privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

const withApprovers =
  (approvers: unknown) =>
  (doc: Document): void => {
    doc.provisioning = { ...doc.provisioning, approvers };
  };

const at = (issues: SpecIssue[], path: string) => issues.filter((i) => i.path === path);

test('PEM and base64 raw keys are both accepted, and name the same key', () => {
  const alice = keyPair();
  const bob = keyPair();
  expect(
    issuesAfter(
      withApprovers([
        { name: 'alice', publicKey: alice.pem },
        { name: 'bob@example.com', publicKey: bob.raw },
      ]),
    ),
  ).toEqual([]);
  expect(normalizedPublicKey(alice.pem)).toBe(alice.raw);
  expect(normalizedPublicKey(`  ${alice.raw}\n`)).toBe(alice.raw);
});

test.each([
  ['not base64', 'not a key at all!', /must be an Ed25519 public key/],
  ['31 bytes', Buffer.alloc(31, 7).toString('base64'), /must be an Ed25519 public key/],
  [
    'an RSA key in PEM',
    generateKeyPairSync('rsa', { modulusLength: 1024 })
      .publicKey.export({ format: 'pem', type: 'spki' })
      .toString(),
    /not an Ed25519 key/,
  ],
  ['a key of small order', Buffer.alloc(32).toString('base64'), /small order|not a point/],
  ['a truncated PEM', '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----', /cut short/],
])('a malformed key (%s) is refused at its path', (_, publicKey, message) => {
  const issues = issuesAfter(withApprovers([{ name: 'alice', publicKey }]));
  const found = at(issues, 'provisioning.approvers[0].publicKey');
  expect(found).toHaveLength(1);
  expect(found[0].message).toMatch(message);
});

test('a private key pasted as the public key is refused, and not repeated in the report', () => {
  const { privatePem } = keyPair();
  const issues = issuesAfter(withApprovers([{ name: 'alice', publicKey: privatePem }]));
  const [issue] = at(issues, 'provisioning.approvers[0].publicKey');
  expect(issue.message).toMatch(/private key/);
  const body = privatePem.split('\n')[1];
  expect(JSON.stringify(issues)).not.toContain(body.slice(0, 20));
});

test('each name and each key appears once; the list is not empty; names are plain', () => {
  const alice = keyPair();
  const bob = keyPair();
  const twice = issuesAfter(
    withApprovers([
      { name: 'alice', publicKey: alice.pem },
      { name: 'alice', publicKey: bob.pem },
      { name: 'carol', publicKey: alice.raw },
    ]),
  );
  expect(at(twice, 'provisioning.approvers[1].name')[0].message).toMatch(/alice is listed twice/);
  expect(at(twice, 'provisioning.approvers[2].publicKey')[0].message).toMatch(/same key as alice/);
  expect(at(issuesAfter(withApprovers([])), 'provisioning.approvers')[0].message).toMatch(/at least one/);
  const badName = issuesAfter(withApprovers([{ name: 'alice smith', publicKey: alice.raw }]));
  expect(at(badName, 'provisioning.approvers[0].name')).toHaveLength(1);
  const unknownKey = issuesAfter(withApprovers([{ name: 'alice', publicKey: alice.raw, role: 'admin' }]));
  expect(at(unknownKey, 'provisioning.approvers[0].role')).toHaveLength(1);
});

test('a spec file with a bad key fails to load with the path, before anything else happens', () => {
  const doc = referenceDocument();
  withApprovers([{ name: 'alice', publicKey: 'AAAA' }])(doc);
  const file = join(mkdtempSync(join(tmpdir(), 'lp-infra-approvers-')), 'bad.json');
  writeFileSync(file, JSON.stringify(doc));
  let error: unknown;
  try {
    loadSpecFile(file);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(SpecError);
  expect((error as SpecError).message).toContain('provisioning.approvers[0].publicKey');
});

test('base64 decodes as Node does and encodes back, padded or not', () => {
  for (const length of [0, 1, 2, 3, 31, 32, 33, 64]) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
    const text = Buffer.from(bytes).toString('base64');
    expect(toBase64(bytes)).toBe(text);
    expect(fromBase64(text)).toEqual(bytes);
    expect(fromBase64(text.replace(/=+$/, ''))).toEqual(bytes);
  }
  expect(fromBase64('a*bc')).toBeUndefined();
  expect(fromBase64('abcde')).toBeUndefined();
  expect(fromBase64('ab===')).toBeUndefined();
});

test('the plan says whether approvals are verified, and warns when they are not', () => {
  const alice = keyPair();
  const planOf = (change: (doc: Document) => void) => {
    const doc = referenceDocument();
    change(doc);
    return formatPlan(buildPlan(validateSpec(doc), { today: testDay }));
  };
  expect(planOf(() => undefined)).toMatch(/^Approvals: WARNING unverified: no provisioning\.approvers/m);
  expect(planOf(withApprovers([{ name: 'alice', publicKey: alice.raw }]))).toMatch(
    /^Approvals: signed by one of alice \(provisioning\.approvers\)$/m,
  );
});

test('the example in docs/spec.md is a valid approver list', () => {
  const docs = readFileSync(join(__dirname, '../../../docs/spec.md'), 'utf8');
  const example = /```yaml\n(provisioning:\n {2}approvers:[\s\S]*?)```/.exec(docs);
  expect(example).not.toBeNull();
  const { approvers } = parse(example![1]).provisioning;
  expect(approvers.map((a: { name: string }) => a.name)).toEqual(['alice', 'bob@example.com']);
  expect(issuesAfter(withApprovers(approvers))).toEqual([]);
});
