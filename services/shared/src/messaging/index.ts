export * from './contracts.ts';
export { createBroker, PublishError } from './broker.ts';
export type { Broker, BrokerOptions, BrokerRegistration, BrokerSetup, PublishFailure } from './broker.ts';
export * from './topology.ts';
export { DEAD_LETTER_REASON_HEADER, LAST_ERROR_HEADER } from './dead-letter.ts';
export {
  addToOutbox,
  OutboxMessage,
  OUTBOX_CHANNEL,
  OUTBOX_COLUMNS,
  outboxValues,
  type ServiceEntityManager,
} from './outbox.ts';
export { createOutboxRelay, type OutboxRelay, type OutboxRelayOptions } from './outbox-relay.ts';
export {
  createConsumer,
  InboxMessage,
  type BatchEventHandler,
  type Consumer,
  type ConsumerOptions,
  type EventHandler,
} from './inbox.ts';
import { InboxMessage } from './inbox.ts';
import { OutboxMessage } from './outbox.ts';

/** Add to a service's entities (and so its migrations) to get the `outbox` and `inbox` tables. */
export const messagingEntities = [OutboxMessage, InboxMessage] as const;
