import { baseConfigSchema, loadConfig } from '@shop/shared';

/** The shared PostgreSQL, Redis and RabbitMQ every test uses, as the environment names them. */
export function testServerUrls() {
  return loadConfig(baseConfigSchema.pick({ POSTGRES_URL: true, REDIS_URL: true, RABBITMQ_URL: true }));
}
