import type { KubeObject } from '../../objects';
import { anyObject, object, type Schema } from './schema';

export interface CrdNames {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  categories?: string[];
}

/** A namespaced CustomResourceDefinition serving the same schema at every listed version. */
export function customResourceDefinition(
  names: CrdNames,
  versions: { served: string[]; storage: string },
  spec: Schema,
  source: string,
): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${names.plural}.${names.group}`,
      annotations: { 'infra.lp-system.com/schema-source': source },
    },
    spec: {
      group: names.group,
      scope: 'Namespaced',
      names: {
        kind: names.kind,
        listKind: `${names.kind}List`,
        plural: names.plural,
        singular: names.kind.toLowerCase(),
        ...(names.shortNames ? { shortNames: names.shortNames } : {}),
        ...(names.categories ? { categories: names.categories } : {}),
      },
      versions: versions.served.map((name) => ({
        name,
        served: true,
        storage: name === versions.storage,
        subresources: { status: {} },
        schema: { openAPIV3Schema: object({ spec, status: anyObject() }) },
      })),
    },
  };
}
