import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** The payload encryption keys: one current key and older ones kept for decryption. */
export interface CodecKeyring {
  current: { id: string; key: Buffer };
  find(id: string): Buffer;
}

const KeyFileSchema = z.object({
  current: z.string().min(1),
  keys: z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'a base64-encoded 32-byte key')),
});
export type KeyFile = z.infer<typeof KeyFileSchema>;

export function keyringFrom(file: KeyFile): CodecKeyring {
  const parsed = KeyFileSchema.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`codec key file: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const keys = new Map(Object.entries(file.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]));
  const current = keys.get(file.current);
  if (!current) throw new Error(`codec key file: current key '${file.current}' is not among keys`);
  return {
    current: { id: file.current, key: current },
    find(id) {
      const key = keys.get(id);
      if (!key) throw new Error(`payload was encrypted with key '${id}', which this keyring does not hold`);
      return key;
    },
  };
}

export function newKeyFile(id = `k${Date.now().toString(36)}`): KeyFile {
  return { current: id, keys: { [id]: randomBytes(32).toString('base64') } };
}

/**
 * The keyring from LP_INFRA_CODEC_KEY (`<id>:<base64 key>`) or LP_INFRA_CODEC_KEY_FILE
 * (JSON `{ "current": id, "keys": { id: base64 } }`). With neither set, `fallbackFile`
 * (the local stack's key under .local/) is used and created on first use.
 */
export function loadKeyring(fallbackFile?: string): CodecKeyring {
  const inline = process.env.LP_INFRA_CODEC_KEY;
  if (inline) {
    const [id, b64] = inline.split(':', 2);
    if (!b64) throw new Error('LP_INFRA_CODEC_KEY must be <key id>:<base64 32-byte key>');
    return keyringFrom({ current: id, keys: { [id]: b64 } });
  }
  const file = process.env.LP_INFRA_CODEC_KEY_FILE || fallbackFile;
  if (!file) throw new Error('no payload encryption key: set LP_INFRA_CODEC_KEY or LP_INFRA_CODEC_KEY_FILE');
  if (!existsSync(file)) {
    if (process.env.LP_INFRA_CODEC_KEY_FILE)
      throw new Error(`LP_INFRA_CODEC_KEY_FILE: ${file} does not exist`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(newKeyFile(), null, 2), { mode: 0o600 });
  }
  return keyringFrom(JSON.parse(readFileSync(file, 'utf8')));
}
