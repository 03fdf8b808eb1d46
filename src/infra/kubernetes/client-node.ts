/**
 * @kubernetes/client-node is an ES module; Node 22+ loads it with require() and TypeScript's
 * node20 module mode compiles this import to that require. One import point keeps it that way.
 */
import * as ClientNode from '@kubernetes/client-node';

export const clientNode = ClientNode;

export type KubeConfig = ClientNode.KubeConfig;
