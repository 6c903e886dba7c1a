import fc from 'fast-check';
import type { Update } from 'grammy/types';
import * as buttons from '../../bot/src/buttons.ts';
import { anyText } from '../support/arbitraries.ts';

/** The Telegram users a fuzz run talks as: a few private chats, so conversations carry across updates. */
export interface FuzzUsers {
  ids: number[];
  /** Signed in to the shop, with orders: reaches checkout, orders and payments. */
  signedIn: number;
  email: string;
  password: string;
}

const commands = [
  '/start',
  '/help',
  '/register',
  '/login',
  '/logout',
  '/catalog',
  '/cart',
  '/orders',
  '/cancel',
];
const asciiText = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });

// Ids of the seeded catalog (and of nothing) and pages near and far: the screens behind them are reached.
const id = fc.oneof(fc.constantFrom('1', '2', '3', '8', '999999'), fc.stringMatching(/^[\w-]{1,12}$/));
const page = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 99_999 }));
const tag = fc.stringMatching(/^[0-9a-f]{8}$/);
const quantity = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 100 }));
// The card's and the cart's ➖ / ➕ carry 0 and 101 past the limits.
const cardQuantity = fc.oneof(quantity, fc.constantFrom(0, 101));
const productList = fc.oneof(
  fc.constant({ to: 'categories' as const }),
  fc.record({ to: fc.constant('category' as const), category: id, page }),
  fc.record({ to: fc.constant('search' as const), page }),
);

/** Every button the bot has, with values its buttons carry and values they never carry. */
const ourButtons = fc.oneof(
  fc.constantFrom(
    buttons.categoriesButton.build(),
    buttons.helpButton.build(),
    buttons.registerButton.build(),
    buttons.loginButton.build(),
    buttons.logoutButton.build(),
    buttons.cartButton.build(),
    buttons.cartClearButton.build(),
    buttons.cartCheckoutButton.build(),
  ),
  fc.record({ category: id, page }).map((v) => buttons.categoryButton.build(v)),
  fc.record({ page }).map((v) => buttons.searchButton.build(v)),
  fc.record({ product: id, back: productList }).map((v) => buttons.productButton.build(v)),
  fc
    .record({ product: id, quantity: cardQuantity, back: productList })
    .map((v) => buttons.cardQuantityButton.build(v)),
  fc.record({ product: id, quantity }).map((v) => buttons.buyButton.build(v)),
  fc.record({ product: id, quantity }).map((v) => buttons.addToCartButton.build(v)),
  fc.record({ product: id, quantity: cardQuantity }).map((v) => buttons.cartQuantityButton.build(v)),
  fc.record({ product: id }).map((v) => buttons.cartRemoveButton.build(v)),
  fc.record({ page }).map((v) => buttons.ordersButton.build(v)),
  fc.record({ order: id, page }).map((v) => buttons.orderButton.build(v)),
  fc
    .record({ tag, step: fc.constantFrom('cancel', 'delivery' as const) })
    .map((v) => buttons.checkoutStepButton.build(v)),
  fc
    .record({ tag, totalCents: fc.integer({ min: 0, max: 2_147_483_647 }) })
    .map((v) => buttons.checkoutConfirmButton.build(v)),
);

// Buttons as an older version of the bot wrote them: still in chats, no longer any screen's.
const olderButtons = ['c', 'm:cat', 'm:ord', 'm:login', 'c:1:1', 's:1', 'p:8:c:2:1', 'b:8', 'o:2', 'od:1:1'];

/** Callback data as buttons send it (at most 64 bytes): ours, ours cut or extended, older, absurd. */
const callbackData = fc
  .oneof(
    { arbitrary: ourButtons, weight: 4 },
    fc.tuple(ourButtons, fc.nat()).map(([data, cut]) => data.slice(0, cut % data.length)),
    fc.tuple(ourButtons, fc.oneof(asciiText(12), anyText(0, 12))).map(([data, extra]) => `${data}:${extra}`),
    fc.constantFrom(...olderButtons),
    anyText(0, 64),
  )
  .map((data) =>
    Buffer.from(data, 'utf8')
      .subarray(0, 64)
      .toString('utf8')
      .replace(/\uFFFD+$/, ''),
  );

/** Texts a user might type: commands (known and not), e-mails, the right and wrong passwords, numbers, noise. */
const text = (users: FuzzUsers) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...commands), weight: 4 },
    fc.tuple(fc.constantFrom(...commands), asciiText(20)).map(([command, rest]) => `${command} ${rest}`),
    fc.constantFrom('/unknown', '/start@shop_bot', '/orders@other_bot', '/'),
    fc.constantFrom(users.email, users.password, 'not the password', 'nobody@example.test'),
    fc.emailAddress(),
    fc.stringMatching(/^[-+]?\d{1,14}$/),
    { arbitrary: anyText(1, 120), weight: 3 },
    fc.constant('x'.repeat(4_096)),
  );

const entitiesOf = (value: string) =>
  value.startsWith('/')
    ? [{ type: 'bot_command' as const, offset: 0, length: (value.split(' ')[0] ?? value).length }]
    : undefined;

const nonText = fc.constantFrom<Record<string, unknown>>(
  {
    sticker: {
      file_id: 's',
      file_unique_id: 's',
      type: 'regular',
      width: 1,
      height: 1,
      is_animated: false,
      is_video: false,
    },
  },
  { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption: '/start' },
  { contact: { phone_number: '+100', first_name: 'A' } },
  { location: { latitude: 1, longitude: 2 } },
  { document: { file_id: 'd', file_unique_id: 'd' } },
  { voice: { file_id: 'v', file_unique_id: 'v', duration: 1 } },
  { dice: { emoji: '🎲', value: 3 } },
  { new_chat_members: [{ id: 1, is_bot: false, first_name: 'B' }] },
  { text: '' },
);

/** Update kinds the bot does not handle, including one Telegram may add tomorrow. */
const unknownKinds = (from: Record<string, unknown>, chat: Record<string, unknown>) =>
  fc.constantFrom<Record<string, unknown>>(
    { inline_query: { id: 'iq', from, query: 'tea', offset: '' } },
    { chosen_inline_result: { result_id: 'r', from, query: 'tea' } },
    {
      channel_post: {
        message_id: 1,
        date: 0,
        chat: { id: -1001, type: 'channel', title: 'C' },
        text: '/start',
      },
    },
    {
      my_chat_member: {
        chat,
        from,
        date: 0,
        old_chat_member: { status: 'member', user: from },
        new_chat_member: { status: 'kicked', user: from, until_date: 0 },
      },
    },
    { poll_answer: { poll_id: 'p', user: from, option_ids: [0] } },
    { chat_join_request: { chat, from, user_chat_id: from.id, date: 0 } },
    { pre_checkout_query: { id: 'pc', from, currency: 'USD', total_amount: 1, invoice_payload: 'x' } },
    { message_reaction: { chat, message_id: 1, date: 0, old_reaction: [], new_reaction: [] } },
    { update_from_the_future: { anything: true } },
  );

/**
 * One random update from one of `users` (or from a group or a channel): messages, edits,
 * button presses with any data, and kinds the bot has no handler for.
 */
export function updates(users: FuzzUsers): fc.Arbitrary<Omit<Update, 'update_id'>> {
  return fc
    .record({
      userId: fc.oneof({ arbitrary: fc.constant(users.signedIn), weight: 2 }, fc.constantFrom(...users.ids)),
      inGroup: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      kind: fc.constantFrom('text', 'text', 'text', 'callback', 'callback', 'other', 'edited', 'unknown'),
      text: text(users),
      data: callbackData,
      other: nonText,
      messageId: fc.integer({ min: 1, max: 2_000 }),
      unknownIndex: fc.nat(),
    })
    .chain((u) => {
      const from = {
        id: u.userId,
        is_bot: false,
        first_name: 'Anna',
        language_code: u.userId % 2 ? 'ru' : 'en',
      };
      const chat = u.inGroup
        ? { id: -u.userId, type: 'group' as const, title: 'Group' }
        : { id: u.userId, type: 'private' as const, first_name: 'Anna' };
      const message = { message_id: u.messageId, date: Math.floor(Date.now() / 1000), chat, from };
      switch (u.kind) {
        case 'text':
          return fc.constant({ message: { ...message, text: u.text, entities: entitiesOf(u.text) } });
        case 'edited':
          return fc.constant({ edited_message: { ...message, edit_date: message.date, text: u.text } });
        case 'other':
          return fc.constant({ message: { ...message, ...u.other } });
        case 'callback':
          // The id is set when it is sent: each press is a new one. No inline mode, so always a message.
          return fc.constant({
            callback_query: {
              id: '',
              from,
              chat_instance: 'ci',
              data: u.data,
              message: { ...message, text: '…' },
            },
          });
        default:
          return unknownKinds(from, chat);
      }
    });
}
