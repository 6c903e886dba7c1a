/**
 * Auth's limits for a test shop, in-process or as processes: none a suite reaches by accident,
 * though it signs many users up from one client at once. The suites about the limits set their own.
 */
export const relaxedAuthLimits = {
  AUTH_RATE_PER_CLIENT_PER_MINUTE: '1000000',
  AUTH_RATE_TOTAL_PER_SECOND: '1000000',
  BCRYPT_QUEUE_MAX: '10000',
};
