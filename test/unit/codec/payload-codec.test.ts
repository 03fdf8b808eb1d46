import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { payloadCodec } from '../../../src/codec/data-converter';
import { EncryptionCodec } from '../../../src/codec/encryption-codec';
import { keyringFrom, newKeyFile } from '../../../src/codec/keyring';
import { projectRoot } from '../../../src/infra/toolchain';
import { loadSpecFile } from '../../../src/model';

const keyring = keyringFrom(newKeyFile('unit'));
const spec = loadSpecFile(path.join(projectRoot, 'environments', 'local.yaml'));
const encodingOf = (payload: Payload) => Buffer.from(payload.metadata!.encoding!).toString();
const json = (value: unknown) => defaultPayloadConverter.toPayload(value)!;

test('a workflow input is stored compressed and encrypted, and decodes to what it was', async () => {
  const original = json({ spec });
  const [stored] = await payloadCodec(keyring).encode([original]);
  expect(encodingOf(stored)).toBe('binary/encrypted');
  expect(Buffer.from(stored.data!).toString('latin1')).not.toContain(spec.name);
  // The spec compresses to well under half its JSON.
  expect(stored.data!.length).toBeLessThan(original.data!.length / 2);

  // Under the encryption: the compressed form.
  const [inner] = await new EncryptionCodec(keyring).decode([stored]);
  expect(encodingOf(inner)).toBe('binary/zlib');

  const [back] = await payloadCodec(keyring).decode([stored]);
  expect(defaultPayloadConverter.fromPayload(back)).toEqual({ spec });
});

test('a small payload is only encrypted: compressing it would not make it smaller', async () => {
  const original = json('ok');
  const [stored] = await payloadCodec(keyring).encode([original]);
  const [inner] = await new EncryptionCodec(keyring).decode([stored]);
  expect(encodingOf(inner)).toBe('json/plain');
  expect(await payloadCodec(keyring).decode([stored])).toEqual([inner]);
});

test('payloads stored before compression, and payloads never encoded, still decode', async () => {
  const original = json({ spec });
  const [encryptedOnly] = await new EncryptionCodec(keyring).encode([original]);
  const [fromOlderRun] = await payloadCodec(keyring).decode([encryptedOnly]);
  expect(defaultPayloadConverter.fromPayload(fromOlderRun)).toEqual({ spec });

  // Input given to `temporal workflow start` is plain JSON.
  expect(await payloadCodec(keyring).decode([original])).toEqual([original]);
});
