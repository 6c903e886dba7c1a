import type { CallbackQueryContext, Composer, Context } from 'grammy';
import {
  createScreens,
  type Fields,
  id,
  int,
  link,
  oneOf,
  type Screen,
  type Values,
  type ValuesOf,
  sharedScreens,
} from './callback-data.ts';

/**
 * Every button of the bot, one screen per prefix. Data of any other shape (a button of an
 * older version of the bot, or forged) belongs to no screen and gets the "older message" answer.
 * Prefixes starting with `m` are the merchant's (admin/buttons.ts), behind the admin role check.
 */
export const screens = createScreens(sharedScreens);

export { adminOrderButton, adminRefundsButton, reorderButton } from './callback-data.ts';

// The catalog serves pages up to 100 000; a greater number is no button of ours.
const catalogPage = int({ min: 1, max: 99_999 });

export const categoriesButton = screens.screen('ca');
export const categoryButton = screens.screen('cp', { category: id(), page: catalogPage });
export const searchButton = screens.screen('sp', { page: catalogPage });
/** The list a product card was opened from, where its Back button returns. */
const productList = link({ categories: categoriesButton, category: categoryButton, search: searchButton });
/** A product card; `back` is the list it was opened from. */
export const productButton = screens.screen('pr', { product: id(), back: productList });
export type ProductList = ValuesOf<typeof productButton>['back'];

/** The data of the list `list` names: the same data as that list's own buttons. */
export function listButton(list: ProductList): string {
  switch (list.to) {
    case 'categories':
      return categoriesButton.build();
    case 'category':
      return categoryButton.build(list);
    case 'search':
      return searchButton.build(list);
  }
}

/** How many of a product a card offers: 1..100 (an order's limit); 0 and 101 are ➖ and ➕ past it. */
const cardQuantity = int({ min: 0, max: 101 });
/** ➖ / ➕ on a product card: the same card at another quantity (its Back still returns to `back`). */
export const cardQuantityButton = screens.screen('pq', {
  product: id(),
  quantity: cardQuantity,
  back: productList,
});
/** Buy now: a checkout of this one line. */
export const buyButton = screens.screen('by', { product: id(), quantity: int({ min: 1, max: 100 }) });
/** Add to cart: adds this many to the cart's line. */
export const addToCartButton = screens.screen('ad', { product: id(), quantity: int({ min: 1, max: 100 }) });

/** The cart screen (menu, /cart, and the refresh on a line's label). */
export const cartButton = screens.screen('ct');
/**
 * ➖ / ➕ on a cart line: sets the line to `quantity`, the number the shown one plus or minus one,
 * so a double tap sets the same number twice. 0 and 101 are presses past the limits.
 */
export const cartQuantityButton = screens.screen('cq', {
  product: id(),
  quantity: int({ min: 0, max: 101 }),
});
export const cartRemoveButton = screens.screen('cr', { product: id() });
export const cartClearButton = screens.screen('cx');
export const cartCheckoutButton = screens.screen('co');

export const ordersButton = screens.screen('op', { page: int({ min: 1, max: 999_999 }) });
export const orderButton = screens.screen('or', { order: id(), page: int({ min: 1, max: 999_999 }) });
/** Cancel on an unpaid order's screen; `page` is the list page its Back button returns to. */
export const cancelOrderButton = screens.screen('oc', { order: id(), page: int({ min: 1, max: 999_999 }) });

export const helpButton = screens.screen('he');
export const registerButton = screens.screen('re');
export const loginButton = screens.screen('li');
export const logoutButton = screens.screen('lo');

// The tag names one checkout (its idempotency key's first characters): another checkout's button is an old one.
const checkoutTag = id(16);
/** Cancel and Change delivery details on the summary. */
export const checkoutStepButton = screens.screen('ck', {
  tag: checkoutTag,
  step: oneOf('cancel', 'delivery'),
});
/**
 * Confirm on the summary carries the total it confirms: a press on a summary that has since
 * been replaced (the price changed) names a total the buyer is no longer shown. Totals fit an int4.
 */
export const checkoutConfirmButton = screens.screen('cc', {
  tag: checkoutTag,
  totalCents: int({ max: 2_147_483_647 }),
});

type CheckoutStep = ValuesOf<typeof checkoutStepButton>['step'];
export type CheckoutButton = { tag: string } & (
  { action: CheckoutStep } | { action: 'confirm'; totalCents: number }
);

/** The checkout button behind `data`, or undefined when it is none (another screen's, old or forged). */
export function checkoutButtonOf(data: string | undefined): CheckoutButton | undefined {
  const step = checkoutStepButton.parse(data);
  if (step) return { tag: step.tag, action: step.step };
  const confirm = checkoutConfirmButton.parse(data);
  return confirm && { tag: confirm.tag, action: 'confirm', totalCents: confirm.totalCents };
}

/**
 * Handles presses of `screen`'s buttons with the values they carry. Data with the screen's
 * prefix that does not parse goes on, to the unhandled feature's "older message" answer.
 */
export function onPress<C extends Context, F extends Fields>(
  composer: Composer<C>,
  screen: Screen<F>,
  handler: (ctx: CallbackQueryContext<C>, values: Values<F>) => unknown,
): void {
  composer.callbackQuery(screen.filter(), async (ctx, next) => {
    const values = screen.parse(ctx.callbackQuery.data);
    if (values === undefined) return next();
    await handler(ctx, values);
  });
}
