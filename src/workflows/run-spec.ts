import { ApplicationFailure } from '@temporalio/workflow';
import { SpecError } from '../model/errors';
import type { EnvironmentSpec } from '../model/schema';
import { validateSpec } from '../model/validate';

/**
 * The run's spec, validated once and with the schema's defaults filled in, which the run then
 * works from. A run started with any JSON (`temporal workflow start`) fails at once, naming the
 * fields, and touches nothing. Pure: the same input gives the same spec on replay.
 */
export function runSpec(input: unknown, workflow: string): EnvironmentSpec {
  try {
    return validateSpec(input, `${workflow} input`);
  } catch (err) {
    if (err instanceof SpecError)
      throw ApplicationFailure.nonRetryable(err.message, 'InvalidSpec', err.issues);
    throw err;
  }
}
