/**
 * The failure converter of every lp-infra client, worker and workflow (loaded by path, because
 * the workflow sandbox bundles it): failure messages and stack traces travel as an encoded
 * payload, so the payload codec encrypts them like inputs and results. The server stores
 * "Encoded failure" in their place; the codec server decodes them for the UI.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
