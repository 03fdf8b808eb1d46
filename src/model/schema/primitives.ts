/** Field types shared by every section of the spec. */
import { z } from 'zod';
import { parseCidr } from '../values/cidr';
import { goDurationPattern, prometheusDurationPattern } from '../values/durations';
import { dnsLabelPattern, hostnameOrWildcardPattern, hostnamePattern } from '../values/hostnames';
import { quantityPattern } from '../values/quantities';
import { dailyWindowPattern, weeklyWindowPattern } from '../values/windows';
import { knownKeysMessage } from '../unknown-keys';

/**
 * An object that rejects keys it does not declare. The rejection carries the declared keys,
 * so the error report can suggest the closest one (see unknown-keys.ts).
 */
export function section<Shape extends z.ZodRawShape>(shape: Shape) {
  const declared = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? knownKeysMessage(declared) : undefined),
  });
}

/** Free text a component may carry into the plan and the workflow (caveats, tickets, owners). */
export const notes = z.string().max(2000).optional();

export const cidrBlock = z.string().superRefine((text, ctx) => {
  const block = parseCidr(text);
  if (typeof block === 'string') ctx.addIssue({ code: 'custom', message: block, input: text });
});

export const dnsLabel = z
  .string()
  .regex(
    dnsLabelPattern,
    'must be a DNS label: 1-63 lower-case letters, digits or "-", starting and ending alphanumeric',
  );

export const hostname = z
  .string()
  .regex(hostnamePattern, 'must be a fully qualified DNS name in lower case, such as api.example.com');

export const hostnameOrWildcard = z
  .string()
  .regex(hostnameOrWildcardPattern, 'must be a DNS name such as api.example.com or *.example.com');

export const goDuration = z
  .string()
  .regex(goDurationPattern, 'must be a duration such as 500ms, 30s, 15m or 1h30m');

export const prometheusDuration = z
  .string()
  .regex(prometheusDurationPattern, 'must be a Prometheus duration such as 15d, 30d, 2w or 1y');

export const dailyWindow = z
  .string()
  .regex(dailyWindowPattern, 'must be a daily UTC window hh:mm-hh:mm, such as 03:00-04:00');

export const weeklyWindow = z
  .string()
  .regex(weeklyWindowPattern, 'must be a weekly UTC window ddd:hh:mm-ddd:hh:mm, such as sun:04:00-sun:05:00');

export const quantity = z
  .string()
  .regex(quantityPattern, 'must be a Kubernetes quantity such as 250m, 2, 512Mi or 100Gi');

export const port = z.int().min(1).max(65535);
export const percentage = z.int().min(1).max(100);
export const nonNegativeInt = z.int().min(0);

/** Kubernetes label keys (optionally prefixed, e.g. prometheus.io/scrape) and values. */
export const labels = z.record(
  z
    .string()
    .regex(
      /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
      'must be a Kubernetes label key',
    ),
  z
    .string()
    .regex(
      /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/,
      'must be a Kubernetes label value (63 characters at most)',
    ),
);

/** Container image reference: [registry/]repository[:tag][@digest]. */
export const imageReference = z
  .string()
  .regex(
    /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(:[\w][\w.-]{0,127})?(@sha256:[a-f0-9]{64})?$/,
    'must be a container image reference such as lp-system/api-gateway:v2.0.0',
  );

/**
 * A version string. YAML reads an unquoted 1.30 as the number 1.3, so a number here gets a
 * message that says to quote it.
 */
export function versionString(pattern: RegExp, example: string) {
  return z
    .string({
      error: (issue) =>
        typeof issue.input === 'number'
          ? `write the version in quotes, e.g. "${example}" (YAML reads an unquoted ${issue.input} as a number)`
          : undefined,
    })
    .regex(pattern, `must be a version such as "${example}"`);
}

/** A name of a key in the kms section (alias without the alias/ prefix). */
export const kmsKeyReference = z.string().regex(/^[a-zA-Z0-9/_-]{1,250}$/, 'must name a key from kms.keys');
