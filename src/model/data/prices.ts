/**
 * List prices the cost estimate multiplies by. On-demand, USD, Linux, no Savings Plans or
 * Reserved Instances. us-east-1 and us-west-2 list the same prices for every row here.
 * Usage-based charges (data transfer, requests, GB stored) are not estimated; the plan says so.
 */

export const priceTable = {
  source:
    'AWS public on-demand price pages: aws.amazon.com/ec2/pricing/on-demand, /rds/aurora/pricing ' +
    '(Aurora Standard), /elasticache/pricing, /eks/pricing, /vpc/pricing (NAT gateway), /ebs/pricing, ' +
    '/kms/pricing, /route53/pricing, /waf/pricing, /elasticloadbalancing/pricing — regions us-east-1 and us-west-2',
  asOf: '2026-11-27',
  currency: 'USD',
  hoursPerMonth: 730,
  /** USD per instance-hour. */
  ec2Hourly: {
    't3.medium': 0.0416,
    't3.large': 0.0832,
    't3.xlarge': 0.1664,
    't3.2xlarge': 0.3328,
    'm5.large': 0.096,
    'm5.xlarge': 0.192,
    'm5.2xlarge': 0.384,
    'm5.4xlarge': 0.768,
    'm6i.large': 0.096,
    'm6i.xlarge': 0.192,
    'm6i.2xlarge': 0.384,
    'm7g.large': 0.0816,
    'm7g.xlarge': 0.1632,
    'c5.large': 0.085,
    'c5.xlarge': 0.17,
    'c5.2xlarge': 0.34,
    'c5.4xlarge': 0.68,
    'c6i.large': 0.085,
    'c6i.xlarge': 0.17,
    'c6i.2xlarge': 0.34,
    'r5.large': 0.126,
    'r5.xlarge': 0.252,
    'r5.2xlarge': 0.504,
    'r5.4xlarge': 1.008,
    'r6i.large': 0.126,
    'r6i.xlarge': 0.252,
    'r6i.2xlarge': 0.504,
  } as Record<string, number>,
  /** Aurora PostgreSQL, Aurora Standard storage configuration, USD per instance-hour. */
  rdsHourly: {
    'db.t4g.medium': 0.073,
    'db.t4g.large': 0.146,
    'db.r5.large': 0.29,
    'db.r5.xlarge': 0.58,
    'db.r5.2xlarge': 1.16,
    'db.r6g.large': 0.26,
    'db.r6g.xlarge': 0.519,
    'db.r6g.2xlarge': 1.038,
    'db.r6g.4xlarge': 2.076,
  } as Record<string, number>,
  /** ElastiCache for Redis OSS, USD per node-hour. */
  elasticacheHourly: {
    'cache.t4g.micro': 0.016,
    'cache.t4g.small': 0.032,
    'cache.t4g.medium': 0.065,
    'cache.m6g.large': 0.149,
    'cache.m6g.xlarge': 0.298,
    'cache.r6g.large': 0.206,
    'cache.r6g.xlarge': 0.411,
    'cache.r6g.2xlarge': 0.821,
  } as Record<string, number>,
  /** Aurora Serverless v2, USD per ACU-hour (db.serverless instances). */
  auroraServerlessAcuHour: 0.12,
  eksClusterHour: 0.1,
  /** Replaces eksClusterHour once the Kubernetes version is past EKS standard support. */
  eksExtendedSupportClusterHour: 0.6,
  natGatewayHour: 0.045,
  /** The ingress gateway's Network Load Balancer, per hour (capacity units are usage-based). */
  nlbHour: 0.0225,
  ebsGbMonth: { gp3: 0.08, gp2: 0.1, io1: 0.125, io2: 0.125, st1: 0.045, sc1: 0.015 } as Record<
    string,
    number
  >,
  kmsKeyMonth: 1.0,
  route53HostedZoneMonth: 0.5,
  route53HealthCheckMonth: 0.5,
  /** Optional health-check features (HTTPS, string matching, fast interval) each add this. */
  route53HealthCheckFeatureMonth: 1.0,
  wafWebAclMonth: 5.0,
  wafRuleMonth: 1.0,
  /**
   * Not a price: Spot prices move hourly. The estimate charges Spot capacity at this fraction
   * of on-demand (the AWS Spot price history for c5 in us-east-1 has sat near half of on-demand).
   */
  spotFractionOfOnDemand: 0.5,
} as const;
