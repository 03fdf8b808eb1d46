import path from 'node:path';
import { loadSpecFile, type EnvironmentSpec } from '../../../src/model';

const environments = path.join(__dirname, '../../../environments');

export function referenceSpec(): EnvironmentSpec {
  return loadSpecFile(path.join(environments, 'reference.yaml'));
}

export function localSpec(): EnvironmentSpec {
  return loadSpecFile(path.join(environments, 'local.yaml'));
}
