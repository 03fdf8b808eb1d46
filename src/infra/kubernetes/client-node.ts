/**
 * @kubernetes/client-node is an ES module. Node 20.19+ loads it with require(), but TypeScript's
 * node16 mode only lets a CommonJS file import its types, so the value comes in through require.
 */
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const clientNode = require('@kubernetes/client-node') as typeof ClientNode;

export type KubeConfig = ClientNode.KubeConfig;
