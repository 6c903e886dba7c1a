/**
 * One order through the shop in containers, as a buyer places it: an account registered and signed
 * in over the API and linked to a Telegram chat in the sandbox, an order of a product the admin put
 * in the catalog, the invoice the buyer gets in the chat, paid there, and the chat told it is paid.
 * It crosses every part: auth, catalog, order, payment, notification, the bot (pre-checkout and
 * successful payment) and the sandbox.
 */
import { eventually } from '../../services/testkit/src/eventually.ts';
import { SandboxChat } from '../../test/support/sandbox.ts';
import { callApi, createBuyers, createProducts } from '../../test/support/shop-api.ts';
import type { ContainerShop } from './shop.ts';

const SLOW = 60_000;

export interface PaidOrder {
  id: number;
  status: string;
  totalCents: number;
  currency: string;
}

export async function placeAndPayOrder(shop: ContainerShop): Promise<PaidOrder> {
  const { lamp } = await createProducts(shop, shop.adminTelegramId, 'electronics', {
    lamp: { name: 'Container check lamp', priceCents: 2_500, currency: 'EUR' },
  });
  const [buyer] = await createBuyers(shop, 1, 'containers');
  const user = (await shop.sandbox.users()).find((candidate) => candidate.id === buyer!.chatId);
  if (!user) throw new Error(`the sandbox has no user ${buyer!.chatId}`);
  const chat = new SandboxChat(shop.sandbox, user);

  const placed = await callApi(`${shop.url('order')}/orders`, {
    method: 'POST',
    token: buyer!.accessToken,
    headers: { 'Idempotency-Key': crypto.randomUUID() },
    json: { items: [{ productId: lamp, quantity: 1 }] },
  });
  const { id } = placed.body as { id: number };

  const paid = await chat.pay({ timeoutMs: SLOW });
  if (paid.status !== 'paid')
    throw new Error(`paying the invoice of order #${id} came to ${JSON.stringify(paid)}`);
  await chat.waitFor(new RegExp(`^✅ Order #${id} is paid\\.`), SLOW);

  return eventually(
    async () => {
      const order = (await callApi(`${shop.url('order')}/orders/${id}`, { token: buyer!.accessToken }))
        .body as PaidOrder;
      if (order.status !== 'paid') throw new Error(`order #${id} is ${order.status}, not paid`);
      return order;
    },
    SLOW,
    250,
  );
}
