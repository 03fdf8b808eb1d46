/**
 * A failure that carries an HTTP-like status, where the activities' error classification looks
 * for one (as on AWS SDK errors): a 4xx other than 429 fails at once, anything else is retried.
 * Problems of configuration or input (no kubeconfig, a Secret lp-infra cannot make) are 400.
 */
export class KubernetesError extends Error {
  readonly $metadata: { httpStatusCode: number };

  constructor(message: string, status = 400, name = 'KubernetesConfigurationError') {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode: status };
  }
}
