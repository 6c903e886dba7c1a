import { type AppError, conflict } from '@shop/shared';
import type { CatalogProduct } from '../clients/catalog.ts';
import type { OrderDeps } from '../deps.ts';
import { cartEmpty, goneFromCart } from '../domain/cart.ts';
import { channelRefusal } from '../domain/channel.ts';
import { priceChange, priceOrder, type RequestedItem } from '../domain/pricing.ts';
import { hashRequest, type OrderRequestBody } from '../domain/request-hash.ts';
import { readCartLines } from './cart.ts';
import { findStoredResponse, type KeyClaim, type StoredResponse } from './idempotency-keys.ts';

export interface PlaceOrderInput {
  userId: string;
  /**
   * The items, or `fromCart` (the caller's cart), with the total the buyer confirmed (the order
   * is placed at exactly this total or not at all) and the delivery details.
   */
  request: OrderRequestBody;
  idempotencyKey?: string;
  /** Forwarded to the catalog so item names are stored in the buyer's language. */
  acceptLanguage?: string;
}

/** What to order and the catalog's products for it, or the refusal to answer with. */
async function whatToOrder(
  deps: OrderDeps,
  { userId, request, acceptLanguage }: PlaceOrderInput,
): Promise<{ items: readonly RequestedItem[]; products: CatalogProduct[] } | { refused: AppError }> {
  const lookUp = (items: readonly RequestedItem[]) =>
    deps.catalog.productsByIds(
      items.map((item) => item.productId),
      { acceptLanguage },
    );
  if (!request.fromCart) {
    const items = request.items ?? [];
    return { items, products: await lookUp(items) };
  }
  const lines = await readCartLines(deps.em.fork(), userId);
  if (lines.length === 0) return { refused: cartEmpty() };
  const products = await lookUp(lines);
  const live = new Set(products.map((product) => product.id));
  const gone = lines.filter((line) => !live.has(line.productId));
  if (gone.length > 0) return { refused: goneFromCart(gone) };
  return { items: lines.map(({ productId, quantity }) => ({ productId, quantity })), products };
}

/**
 * Places an order priced by the catalog. The order, its items, its delivery details, the
 * Idempotency-Key with its response, the `order.created` event and, for a cart checkout, the
 * removal of the ordered lines from the cart are written by one statement (shared with the
 * orders placed at the same moment, see order-writer.ts), so all of them or none.
 * With a key, a retry gets the first response again and creates nothing. With an expected
 * total that the catalog's prices no longer give, 409 price_changed and nothing is created.
 * A cart checkout orders the cart as it was read; if the cart changed before the order was
 * written, 409 cart_changed and nothing is created (see insert-order.ts).
 */
export async function placeOrder(deps: OrderDeps, input: PlaceOrderInput): Promise<StoredResponse> {
  const { userId, request, idempotencyKey: key } = input;
  const claim: KeyClaim | undefined =
    key === undefined
      ? undefined
      : {
          key,
          requestHash: hashRequest(request),
          expiresAt: new Date(Date.now() + deps.idempotencyTtlMs),
        };
  const storedResponse = async () =>
    claim && (await findStoredResponse(deps.em.fork(), userId, claim.key, claim.requestHash));
  // A retry of a finished request is answered without asking the catalog again.
  const stored = await storedResponse();
  if (stored) return stored;
  // The same request may have committed meanwhile (priced before a change, or having emptied
  // the cart): that is its answer.
  const refuse = async (refusal: AppError) => {
    const replay = await storedResponse();
    if (replay) return replay;
    throw refusal;
  };

  // Before any database work: no connection is held while the catalog answers.
  const wanted = await whatToOrder(deps, input);
  if ('refused' in wanted) return refuse(wanted.refused);
  const priced = priceOrder(wanted.items, wanted.products);
  const changed = priceChange(priced, request.expectedTotalCents);
  if (changed) return refuse(changed);
  const unpayable = channelRefusal(request.channel, priced.currency);
  if (unpayable) return refuse(unpayable);

  // What is written is `priced` itself, so the order's total is the one just compared.
  const fromCart = request.fromCart === true;
  const written = await deps.orders.write({
    userId,
    priced,
    claim,
    delivery: request.delivery,
    fromCart,
    channel: request.channel,
  });
  if (written) return written;

  // A concurrent request with the same key committed first: answer as it did.
  const winner = await storedResponse();
  if (winner) return winner;
  if (fromCart)
    throw conflict(
      'cart_changed',
      'The cart changed while the order was being placed, so nothing was ordered: check the cart and order again',
    );
  throw conflict('idempotency_key_in_use', 'A request with this Idempotency-Key is still running');
}
