/**
 * Ed25519 public keys as the spec writes them: PEM (SubjectPublicKeyInfo, what openssl and
 * `lp-infra approver keygen` write) or the 32 raw bytes in base64. Pure and free of Node
 * APIs: the approval workflows parse the same text inside the workflow sandbox.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64, padded or not; undefined for anything else. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const digits = text.replace(/=+$/, '');
  if (digits.length % 4 === 1 || text.length - digits.length > (4 - (digits.length % 4)) % 4)
    return undefined;
  const bytes = new Uint8Array(Math.floor((digits.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const char of digits) {
    value = (value << 6) | alphabet.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (value >> bits) & 0xff;
    }
  }
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const count = Math.min(3, bytes.length - i);
    for (let j = 0; j < 4; j++) text += j <= count ? alphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
  }
  return text;
}

/** DER of SubjectPublicKeyInfo { algorithm: id-Ed25519 (1.3.101.112) }, before the 32 key bytes. */
const spkiPrefix = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

const expected =
  'must be an Ed25519 public key: PEM (-----BEGIN PUBLIC KEY-----) or its 32 bytes in base64 ' +
  "(44 characters); 'lp-infra approver keygen' prints one";

/** A private key where a public one belongs; the error report must not repeat it. */
export function looksPrivate(text: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
}

/** The 32 key bytes, or a sentence saying what is wrong. */
export function parsePublicKey(text: string): Uint8Array | string {
  const trimmed = text.trim();
  if (looksPrivate(trimmed))
    return 'this is a private key: the spec takes the public key only (keep the private key to yourself)';
  let bytes: Uint8Array | undefined;
  const pem = /^-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]*)-----END PUBLIC KEY-----$/.exec(trimmed);
  if (pem) {
    const der = fromBase64(pem[1].replace(/\s+/g, ''));
    if (!der) return `${expected}: the PEM body is not base64`;
    if (spkiPrefix.slice(0, 9).some((byte, i) => der[i] !== byte))
      return `${expected}: this PEM key is not an Ed25519 key (RSA and ECDSA keys are not accepted)`;
    if (der.length !== 44 || spkiPrefix.some((byte, i) => der[i] !== byte))
      return `${expected}: this PEM key is cut short or has bytes too many`;
    bytes = der.slice(spkiPrefix.length);
  } else if (trimmed.startsWith('-----')) {
    return expected;
  } else {
    bytes = fromBase64(trimmed);
    if (!bytes || bytes.length !== 32) return expected;
  }
  try {
    if (ed25519.Point.fromBytes(bytes).isSmallOrder())
      return 'a weak key (a point of small order): generate a new one';
  } catch {
    return `${expected}: these 32 bytes are not a point of the Ed25519 curve`;
  }
  return bytes;
}

/** The key as 32 bytes in base64: one spelling of a key, whichever form the spec used. */
export function normalizedPublicKey(text: string): string | undefined {
  const key = parsePublicKey(text);
  return typeof key === 'string' ? undefined : toBase64(key);
}
