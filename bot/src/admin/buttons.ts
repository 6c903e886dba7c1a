import { type Fields, id, int, oneOf, type Screen } from '../callback-data.ts';
import { screens } from '../buttons.ts';

/**
 * Every merchant button has a prefix starting with `m`, and no buyer button does: one role check
 * (features/admin.ts, with admin/role.ts) stands in front of all of them. Add a merchant screen
 * with `adminScreen`.
 */
const ADMIN_PREFIX = /^m[a-z]{0,2}(?::|$)/;
export const isAdminData = (data: string | undefined) => data !== undefined && ADMIN_PREFIX.test(data);

export function adminScreen<F extends Fields = Record<string, never>>(
  prefix: `m${string}`,
  fields?: F,
): Screen<F> {
  return screens.screen(prefix, fields);
}

const page = int({ min: 1, max: 99_999 });

/** The merchant's menu (/admin). */
export const adminMenuButton = adminScreen('mm');

/** The catalog as the merchant sees it: every category, hidden ones too. */
export const adminCategoriesButton = adminScreen('mc');
/** One category: its products (a page), and what can be done to it. */
export const adminCategoryButton = adminScreen('mk', { category: id(), page });
/** Up, down, hide, show on a category. */
export const adminCategoryActionButton = adminScreen('mv', {
  category: id(),
  action: oneOf('up', 'down', 'hide', 'show'),
});
/** Rename a category in one language. */
export const adminCategoryRenameButton = adminScreen('mr', { category: id(), lang: oneOf('en', 'ru') });
export const adminNewCategoryButton = adminScreen('mg');

/** One product as the merchant sees it. */
export const adminProductButton = adminScreen('mp', { product: id() });
export const productFields = [
  'nameEn',
  'nameRu',
  'descriptionEn',
  'descriptionRu',
  'price',
  'category',
  'stockSet',
  'stockAdd',
  'photo',
] as const;
export type ProductField = (typeof productFields)[number];
/** Edit one field of a product. */
export const adminProductEditButton = adminScreen('me', { product: id(), field: oneOf(...productFields) });
export const adminProductVisibilityButton = adminScreen('mh', {
  product: id(),
  action: oneOf('hide', 'show'),
});
export const adminNewProductButton = adminScreen('mn');

/**
 * A choice inside a merchant's form (a category, Skip = 0); `tag` names the form, so a button of
 * another form (or an older one) is an old button.
 */
export const adminFormButton = adminScreen('mf', { tag: id(16), choice: int({ max: 2_147_483_647 }) });
export const SKIP = 0;

/** The merchant's order lists, one per status: "to ship" (paid) first. */
export const orderTabs = ['paid', 'awaiting_payment', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderTab = (typeof orderTabs)[number];
const tab = oneOf(...orderTabs);
const orderNumber = int({ min: 1 });

/** The orders in one status, newest first, a page at a time. */
export const adminOrdersButton = adminScreen('mo', { tab, page });
/** One order's card; `tab` and `page` are the list its Back button returns to. */
export const adminOrderCardButton = adminScreen('mi', { order: orderNumber, tab, page });
export const orderActions = ['ship', 'deliver', 'cancel'] as const;
export type OrderAction = (typeof orderActions)[number];
/** Ship, Delivered, Cancel order on a card (ship and cancel ask first, in a form). */
export const adminOrderActionButton = adminScreen('ma', {
  order: orderNumber,
  action: oneOf(...orderActions),
  tab,
  page,
});
/** The shop's figures (/stats). */
export const adminStatsButton = adminScreen('mt');
/** 📣 Announcement on the merchant's menu: starts an announcement (conversations/announce.ts). */
export const adminAnnounceButton = adminScreen('mb');
/**
 * Send or Cancel under an announcement's preview; the tag names the draft (its idempotency key's
 * first characters): a button of an earlier draft is an old one.
 */
export const announceButton = adminScreen('ms', { tag: id(16), action: oneOf('send', 'cancel') });
/** Refunds to make, inside the desk (the menu's entry, Refresh): the same list as `adminRefundsButton`. */
export const adminRefundListButton = adminScreen('mu');
/** Mark refunded on one payment of that list, once the merchant refunded it at the provider: asks first. */
export const adminMarkRefundedButton = adminScreen('mx', { payment: id() });
/** Yes on that question: marks the payment refunded. */
export const adminConfirmRefundedButton = adminScreen('my', { payment: id() });
