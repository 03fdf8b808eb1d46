/** kwok's configuration for the local clusters. */
import { parseAllDocuments } from 'yaml';
import { kwokConfigFile, kwokStages } from '../../../src/dev/kubernetes-kwok';

test('the config file holds every Stage as its own YAML document', () => {
  const documents = parseAllDocuments(kwokConfigFile()).map((d) => d.toJS());
  expect(documents.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(
    kwokStages.map((s) => `Stage/${s.metadata.name}`),
  );
  expect(new Set(documents.map((d) => d.spec.resourceRef.kind))).toEqual(
    new Set(['Node', 'Pod', 'PersistentVolumeClaim', 'PersistentVolume']),
  );
});
