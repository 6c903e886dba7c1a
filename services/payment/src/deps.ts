import type { ServiceEntityManager } from '@shop/shared';
import type { InvoiceLinkDeps } from './telegram/invoice-links.ts';

/** Everything the payment HTTP use cases need, injected so tests can build it over real servers. */
export interface PaymentDeps {
  /** The root entity manager; each request forks its own. */
  em: ServiceEntityManager;
  /** BOT_SERVICE_TOKEN: only the bot may record a payment Telegram took. */
  serviceToken: string;
  /** What the Mini App's invoice links are made with. */
  invoiceLinks: InvoiceLinkDeps;
}
