// Keeps test output readable: the SDK's own INFO logs (bundling, worker state) are noise here.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
