export { createAuthenticator, type Authenticator } from './authenticator.ts';
export {
  createServiceKit,
  type ServiceKit,
  type ServiceKitOptions,
  type ServiceWiringOptions,
} from './kit.ts';
export {
  connectBroker,
  startConsumer,
  startOutboxRelay,
  type BrokerCapabilityOptions,
  type ConsumerCapabilityOptions,
} from './messaging.ts';
export { startPeriodicTask, type PeriodicTaskOptions } from './periodic.ts';
export { connectPostgres, type PostgresOptions } from './postgres.ts';
export { connectRedis, type GuardedRedis, type RedisCapabilityOptions } from './redis.ts';
