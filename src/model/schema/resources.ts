import { quantity, section } from './primitives';

/** Kubernetes container resources: requests, and limits that must not be below them. */
export const ResourcesSchema = section({
  requests: section({ cpu: quantity, memory: quantity }),
  limits: section({ cpu: quantity.optional(), memory: quantity.optional() }).optional(),
});
