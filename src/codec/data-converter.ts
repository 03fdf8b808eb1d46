import path from 'node:path';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import { stateDir } from '../infra/toolchain';
import { CompressionCodec } from './compression-codec';
import { EncryptionCodec } from './encryption-codec';
import { loadKeyring, type CodecKeyring } from './keyring';

/** The local stack's key, made on first use when no key is configured. */
export const localKeyFile = path.join(stateDir, 'codec-key.json');

/** Compressed, then encrypted: in this order on encode, the other way round on decode. */
export function payloadCodecs(keyring: CodecKeyring): PayloadCodec[] {
  return [new CompressionCodec(), new EncryptionCodec(keyring)];
}

/** The codecs as one, the way the SDK applies them: for the codec server. */
export function payloadCodec(keyring: CodecKeyring): PayloadCodec & { toJSON(): unknown } {
  const codecs = payloadCodecs(keyring);
  return {
    async encode(payloads: Payload[]) {
      for (const codec of codecs) payloads = await codec.encode(payloads);
      return payloads;
    },
    async decode(payloads: Payload[]) {
      for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      return payloads;
    },
    // What logs show of it: the encryption key's id, never the keys.
    toJSON: () =>
      codecs.map((codec) => (codec instanceof EncryptionCodec ? codec.toJSON() : codec.constructor.name)),
  };
}

/**
 * The data converter every lp-infra client and worker uses: JSON payloads, compressed and
 * AES-256-GCM encrypted, and failures whose message and stack trace are payloads too (so
 * encrypted).
 */
export function dataConverter(keyring: CodecKeyring = loadKeyring(localKeyFile)): DataConverter {
  return {
    payloadCodecs: payloadCodecs(keyring),
    failureConverterPath: require.resolve('./failure-converter'),
  };
}
