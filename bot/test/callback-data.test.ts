import { describe, expect, it } from 'vitest';
import * as adminButtons from '../src/admin/buttons.ts';
import { orderActions, orderTabs, productFields } from '../src/admin/buttons.ts';
import * as buttons from '../src/buttons.ts';
import {
  createScreens,
  id,
  int,
  link,
  MAX_CALLBACK_BYTES,
  oneOf,
  type Screen,
  sharedScreens,
} from '../src/callback-data.ts';

// One press of every screen the bot has, with the values its button carries.
const samples: Record<string, unknown[]> = {
  categoriesButton: [undefined],
  categoryButton: [
    { category: '12', page: 1 },
    { category: 'tea-and_more', page: 99_999 },
  ],
  searchButton: [{ page: 1 }, { page: 4_321 }],
  productButton: [
    { product: '8', back: { to: 'categories' } },
    { product: '8', back: { to: 'category', category: '2', page: 3 } },
    { product: 'x-1', back: { to: 'search', page: 17 } },
  ],
  cardQuantityButton: [
    { product: '8', quantity: 0, back: { to: 'categories' } },
    { product: '8', quantity: 101, back: { to: 'category', category: '2', page: 3 } },
    { product: 'x-1', quantity: 7, back: { to: 'search', page: 17 } },
  ],
  buyButton: [
    { product: '8', quantity: 1 },
    { product: '8', quantity: 100 },
  ],
  addToCartButton: [
    { product: '8', quantity: 1 },
    { product: '12', quantity: 100 },
  ],
  cartButton: [undefined],
  cartQuantityButton: [
    { product: '8', quantity: 0 },
    { product: '8', quantity: 101 },
  ],
  cartRemoveButton: [{ product: '8' }],
  cartClearButton: [undefined],
  cartCheckoutButton: [undefined],
  ordersButton: [{ page: 1 }, { page: 999_999 }],
  orderButton: [{ order: '1234', page: 2 }],
  cancelOrderButton: [
    { order: '1234', page: 1 },
    { order: '98765432109', page: 999_999 },
  ],
  helpButton: [undefined],
  registerButton: [undefined],
  loginButton: [undefined],
  logoutButton: [undefined],
  checkoutStepButton: ['cancel', 'delivery'].map((step) => ({
    tag: '0a1b2c3d',
    step,
  })),
  checkoutConfirmButton: [
    { tag: '0a1b2c3d', totalCents: 0 },
    { tag: '0a1b2c3d', totalCents: 2_147_483_647 },
  ],
  adminOrderButton: [{ order: 1 }, { order: 2 ** 40 }, { order: Number.MAX_SAFE_INTEGER }],
  reorderButton: [{ order: 1 }, { order: Number.MAX_SAFE_INTEGER }],
  adminRefundsButton: [undefined],
  // The merchant's (admin/buttons.ts).
  adminMenuButton: [undefined],
  adminCategoriesButton: [undefined],
  adminCategoryButton: [
    { category: '12', page: 1 },
    { category: 'tea-and_more', page: 99_999 },
  ],
  adminCategoryActionButton: ['up', 'down', 'hide', 'show'].map((action) => ({ category: '3', action })),
  adminCategoryRenameButton: ['en', 'ru'].map((lang) => ({ category: '3', lang })),
  adminNewCategoryButton: [undefined],
  adminProductButton: [{ product: '8' }],
  adminProductEditButton: productFields.map((field) => ({ product: '8', field })),
  adminProductVisibilityButton: ['hide', 'show'].map((action) => ({ product: '8', action })),
  adminNewProductButton: [undefined],
  adminFormButton: [
    { tag: '0a1b2c3d', choice: 0 },
    { tag: '0a1b2c3d', choice: 2_147_483_647 },
  ],
  adminOrdersButton: orderTabs.map((tab) => ({ tab, page: 1 })),
  adminOrderCardButton: [
    { order: 1, tab: 'paid', page: 1 },
    { order: 2 ** 40, tab: 'cancelled', page: 99_999 },
  ],
  adminOrderActionButton: orderActions.map((action) => ({ order: 42, action, tab: 'shipped', page: 3 })),
  adminStatsButton: [undefined],
  adminAnnounceButton: [undefined],
  adminRefundListButton: [undefined],
  adminMarkRefundedButton: [{ payment: '0f6e2a4c-8d1b-4c3e-9a7f-5b2d1e0c9a88' }],
  adminConfirmRefundedButton: [{ payment: '0f6e2a4c-8d1b-4c3e-9a7f-5b2d1e0c9a88' }],
  announceButton: ['send', 'cancel'].map((action) => ({ tag: '0a1b2c3d', action })),
};

type AnyScreen = Screen<Record<string, never>> & { build(values?: unknown): string };
const screens = Object.entries({ ...buttons, ...adminButtons }).filter(
  (entry): entry is [string, AnyScreen] =>
    typeof entry[1] === 'object' && 'prefix' in entry[1] && 'parse' in entry[1],
);
const build = (screen: AnyScreen, values: unknown) => screen.build(values);

describe('the callback data of the bot', () => {
  it('gives every screen its own prefix', () => {
    const prefixes = screens.map(([, screen]) => screen.prefix);
    expect(screens.length).toBeGreaterThan(10);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('refuses to define a second screen with a prefix already taken', () => {
    const registry = createScreens();
    registry.screen('ab', { page: int() });
    expect(() => registry.screen('ab')).toThrow('already taken');
    expect(() => registry.screen('a:b')).toThrow('1-3 letters');
  });

  it("refuses a bot screen with the prefix of a button another part of the shop builds (an alert's Open order)", () => {
    const registry = createScreens(sharedScreens);
    expect(() => registry.screen(buttons.adminOrderButton.prefix)).toThrow('already taken');
  });

  it.each(screens)('reads back what %s writes', (name, screen) => {
    const values = samples[name];
    expect(values, `add samples for ${name}`).toBeDefined();
    for (const value of values ?? []) {
      const data = build(screen, value);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(MAX_CALLBACK_BYTES);
      expect(screen.parse(data)).toEqual(value ?? {});
      expect(screen.filter().test(data)).toBe(true);
      // Only its own screen reads it: no two screens share a button.
      const readers = screens.filter(([, other]) => other.parse(data) !== undefined).map(([n]) => n);
      expect(readers).toEqual([name]);
    }
  });

  it('writes numbers compactly: the largest total a checkout confirms fits in six characters', () => {
    expect(buttons.checkoutConfirmButton.build({ tag: '0a1b2c3d', totalCents: 2_147_483_647 })).toBe(
      'cc:0a1b2c3d:zik0zj',
    );
  });

  it('refuses to build data over 64 bytes or with values the fields do not take', () => {
    const long = 'x'.repeat(40);
    const back = { to: 'category' as const, category: long, page: 1 };
    expect(() => buttons.productButton.build({ product: long, back })).toThrow('over 64 bytes');
    expect(() => buttons.categoryButton.build({ category: 'a:b', page: 1 })).toThrow(RangeError);
    expect(() => buttons.ordersButton.build({ page: 0 })).toThrow(RangeError);
    expect(() => buttons.searchButton.build({ page: 1.5 })).toThrow(RangeError);
  });

  it.each([
    ['another prefix', 'zz:1'],
    ['an extra field', 'op:1:2'],
    ['an extra field on a screen without fields', 'ca:1'],
    ['a trailing separator', 'sp:1:'],
    ['a missing field', 'or:12'],
    ['a number that is not one', 'sp:1!'],
    ['a number with a leading zero', 'sp:01'],
    ['an upper-case number', 'sp:A'],
    ['a page beyond the last the catalog serves', `sp:${(100_000).toString(36)}`],
    ['an id with a forbidden character', 'by:8%27:1'],
    ['an id that is too long', `by:${'7'.repeat(41)}:1`],
    ['a quantity of 0 to buy', 'by:8:0'],
    ['a quantity over 100 to add to the cart', `ad:8:${(101).toString(36)}`],
    ['a card quantity past 101', `pq:8:${(102).toString(36)}:ca`],
    ['a step that does not exist', 'ck:0a1b2c3d:z'],
    ['a Back link to no list', 'pr:8:op:1'],
    ['a Back link that is itself malformed', 'pr:8:cp:2'],
    ['data over 64 bytes', `pr:8:cp:${'1'.repeat(60)}:1`],
    ['empty data', ''],
    ['no data at all', undefined],
  ])('reads %s as no button of ours', (_, data) => {
    for (const [, screen] of screens) expect(screen.parse(data)).toBeUndefined();
    expect(buttons.checkoutButtonOf(data)).toBeUndefined();
  });

  it.each(['c', 'm:cat', 'm:ord', 'm:help', 'm:logout', 'm:reg', 'm:login', 'c:1:1', 's:1', 'p:8:c:2:1'])(
    'reads the older format %s as no button of ours',
    (data) => {
      for (const [, screen] of screens) expect(screen.parse(data)).toBeUndefined();
    },
  );

  it.each(['b:8', 'o:2', 'od:12:1', 'k:0a1b2c3d:+', 'k:0a1b2c3d:buy:450'])(
    'reads the older format %s as no button of ours',
    (data) => {
      for (const [, screen] of screens) expect(screen.parse(data)).toBeUndefined();
      expect(buttons.checkoutButtonOf(data)).toBeUndefined();
    },
  );

  it('never throws on any string', () => {
    const registry = createScreens();
    const screen = registry.screen('t', {
      n: int({ max: 10 }),
      kind: oneOf('a', 'b'),
      back: link({ other: registry.screen('o', { id: id(4) }) }),
    });
    for (const data of [
      't',
      't:',
      't::',
      't:b:0:o:x',
      't:1:2:o:x',
      't:1:0:o:xxxxx',
      't:1:0:o:x:y',
      '\u0000',
      't:🙂',
    ]) {
      expect(() => screen.parse(data)).not.toThrow();
      expect(screen.parse(data)).toBeUndefined();
    }
    expect(screen.parse('t:a:1:o:abcd')).toEqual({ n: 10, kind: 'b', back: { to: 'other', id: 'abcd' } });
  });

  it('tells the checkout buttons apart from all others', () => {
    expect(
      buttons.checkoutButtonOf(buttons.checkoutStepButton.build({ tag: 'abc', step: 'delivery' })),
    ).toEqual({ tag: 'abc', action: 'delivery' });
    expect(
      buttons.checkoutButtonOf(buttons.checkoutConfirmButton.build({ tag: 'abc', totalCents: 450 })),
    ).toEqual({
      tag: 'abc',
      action: 'confirm',
      totalCents: 450,
    });
    expect(buttons.checkoutButtonOf(buttons.ordersButton.build({ page: 1 }))).toBeUndefined();
  });
});
