// Keeps test output readable: the SDK's INFO and WARN logs (bundling, worker state, the failures tests provoke) are noise here.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
