import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { stateDir } from '../infra/toolchain';
import { EncryptionCodec } from './encryption-codec';
import { loadKeyring, type CodecKeyring } from './keyring';

/** The local stack's key, made on first use when no key is configured. */
export const localKeyFile = path.join(stateDir, 'codec-key.json');

/**
 * The data converter every lp-infra client and worker uses: JSON payloads, AES-256-GCM
 * encrypted, and failures whose message and stack trace are payloads too (so encrypted).
 */
export function dataConverter(keyring: CodecKeyring = loadKeyring(localKeyFile)): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keyring)],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}
