/** CloudFront viewer security policies, weakest first (CloudFront Developer Guide, supported protocols and ciphers). */
export const cloudFrontSecurityPolicies = [
  'TLSv1',
  'TLSv1_2016',
  'TLSv1.1_2016',
  'TLSv1.2_2018',
  'TLSv1.2_2019',
  'TLSv1.2_2021',
] as const;
