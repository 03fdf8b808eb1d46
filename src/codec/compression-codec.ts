import { deflateSync, inflateSync } from 'node:zlib';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/zlib';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Compresses payloads before they are encrypted: an encrypted payload cannot be compressed by
 * the server or its database, and a workflow's history holds every input and result it saw
 * (a spec section, a component's outputs). A payload is compressed only when that makes it
 * smaller; others pass through, and decode passes through what it did not compress.
 * Nothing secret is ever a payload (docs/architecture.md), so compressing before encrypting
 * gives away nothing a length would not.
 */
export class CompressionCodec implements PayloadCodec {
  /** Payloads below this many bytes are left as they are: they gain little and cost a header. */
  constructor(private readonly minimumBytes = 256) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      if (plain.length < this.minimumBytes) return payload;
      const data = deflateSync(plain);
      if (data.length >= plain.length) return payload;
      return { metadata: { encoding: encoder.encode(ENCODING) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding && decoder.decode(payload.metadata.encoding);
      if (encoding !== ENCODING || !payload.data) return payload;
      return temporal.api.common.v1.Payload.decode(inflateSync(payload.data));
    });
  }
}
