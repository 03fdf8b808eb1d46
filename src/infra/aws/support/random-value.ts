import { randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random string of letters and digits, acceptable to every AWS password field (RDS
 * master passwords and ElastiCache AUTH tokens both refuse some punctuation).
 */
export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length * 2);
  let value = '';
  for (const byte of bytes) {
    if (byte < 248) value += alphabet[byte % alphabet.length]; // 248 = 4 × 62: no bias
    if (value.length === length) return value;
  }
  return value + randomAlphanumeric(length - value.length);
}
