import { z } from 'zod';
import { kmsKeyReference, notes, section } from './primitives';

/** Customer-managed keys; other sections name them (database.kmsKey, storage.encryption.kmsKey). */
export const KmsSchema = section({
  keys: z.array(
    section({
      alias: kmsKeyReference,
      region: z.enum(['primary', 'secondary']).default('primary'),
      description: z.string().optional(),
      enableKeyRotation: z.boolean().default(true),
    }),
  ),
  notes,
});
