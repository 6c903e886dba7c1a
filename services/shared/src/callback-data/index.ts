/** Telegram refuses a button whose callback data is longer than this many bytes. */
export const MAX_CALLBACK_BYTES = 64;

const SEPARATOR = ':';

/**
 * One typed value in callback data. `decode` accepts exactly what `encode` writes (one spelling
 * per value) and returns undefined for anything else. Only a `rest` field may contain the
 * separator: it takes everything up to the end, so it can only come last.
 */
export interface Field<T> {
  encode(value: T): string;
  decode(text: string): T | undefined;
  rest?: boolean;
}

// Field values differ in type from field to field; `Values` recovers each one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Fields = Record<string, Field<any>>;
type NoFields = Record<string, never>;
export type Values<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** Whole numbers from `min` to `max`, in lowercase base 36 without leading zeros. */
export function int({ min = 0, max = Number.MAX_SAFE_INTEGER } = {}): Field<number> {
  const valid = (n: number) => Number.isSafeInteger(n) && n >= min && n <= max;
  return {
    encode(n) {
      if (!valid(n)) throw new RangeError(`${n} is not a whole number from ${min} to ${max}`);
      return n.toString(36);
    },
    decode(text) {
      if (!/^(?:0|[1-9a-z][0-9a-z]{0,10})$/.test(text)) return undefined;
      const n = Number.parseInt(text, 36);
      return valid(n) ? n : undefined;
    },
  };
}

/** Ids as the services hand them out: letters, digits, `_` and `-`, at most `maxLength`. */
export function id(maxLength = 40): Field<string> {
  const pattern = new RegExp(`^[\\w-]{1,${maxLength}}$`);
  return {
    encode(text) {
      if (!pattern.test(text))
        throw new RangeError(`"${text}" is not an id of at most ${maxLength} characters`);
      return text;
    },
    decode: (text) => (pattern.test(text) ? text : undefined),
  };
}

/** One of a few named values, written as its position (so at most 36 of them). */
export function oneOf<const V extends string>(...values: V[]): Field<V> {
  if (values.length > 36) throw new RangeError('oneOf takes at most 36 values');
  return {
    encode(value) {
      const index = values.indexOf(value);
      if (index < 0) throw new RangeError(`"${value}" is none of ${values.join(', ')}`);
      return index.toString(36);
    },
    decode: (text) => (/^[0-9a-z]$/.test(text) ? values[Number.parseInt(text, 36)] : undefined),
  };
}

/** Any screen, as far as a link to it is concerned. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyScreen = Screen<any>;
/** The values a screen's buttons carry. */
export type ValuesOf<S> = S extends Screen<infer F> ? Values<F> : never;
export type Linked<M extends Record<string, AnyScreen>> = {
  [K in keyof M & string]: { to: K } & ValuesOf<M[K]>;
}[keyof M & string];

/**
 * A button of another screen carried inside this one (a Back button's target), written as that
 * screen's own callback data: `{ to: 'search', page: 2 }` for `targets = { search }`. Last field only.
 */
export function link<M extends Record<string, AnyScreen>>(targets: M): Field<Linked<M>> {
  return {
    rest: true,
    encode({ to, ...values }) {
      const target = targets[to];
      if (target === undefined) throw new RangeError(`no link to ${to}`);
      // A screen without fields ignores the values; the others read theirs from them.
      return (target.build as (values: object) => string)(values);
    },
    decode(text) {
      for (const [to, target] of Object.entries(targets)) {
        const values: unknown = target.parse(text);
        if (values !== undefined) return { to, ...(values as object) } as Linked<M>;
      }
      return undefined;
    },
  };
}

/** The callback data of one screen's buttons: `<prefix>:<field>:<field>…`. */
export interface Screen<F extends Fields> {
  readonly prefix: string;
  /** The data for a button; throws on a value the field refuses or data over 64 bytes (a bug of ours). */
  build(...values: NoFields extends Values<F> ? [] : [Values<F>]): string;
  /** The values, or undefined for data of another screen, old, malformed or forged. Never throws. */
  parse(data: string | undefined): Values<F> | undefined;
  /** For `composer.callbackQuery(screen.filter(), …)`: data that starts with this screen's prefix. */
  filter(): RegExp;
}

function defineScreen<F extends Fields>(prefix: string, fields: F): Screen<F> {
  const entries = Object.entries(fields);
  if (entries.slice(0, -1).some(([, field]) => field.rest))
    throw new Error(`screen ${prefix}: a link field can only come last`);
  return {
    prefix,
    build(...[values]) {
      const parts = entries.map(([name, field]) => field.encode((values as Record<string, unknown>)[name]));
      const data = [prefix, ...parts].join(SEPARATOR);
      if (Buffer.byteLength(data) > MAX_CALLBACK_BYTES)
        throw new RangeError(`callback data "${data}" is over ${MAX_CALLBACK_BYTES} bytes`);
      return data;
    },
    parse(data) {
      if (data === undefined || Buffer.byteLength(data) > MAX_CALLBACK_BYTES) return undefined;
      const [head, ...parts] = data.split(SEPARATOR);
      if (head !== prefix) return undefined;
      const values: Record<string, unknown> = {};
      for (const [index, [name, field]] of entries.entries()) {
        const part = field.rest ? parts.slice(index).join(SEPARATOR) : parts[index];
        const value: unknown = part === undefined ? undefined : field.decode(part);
        if (value === undefined) return undefined;
        values[name] = value;
      }
      const used = entries.at(-1)?.[1].rest ? parts.length : entries.length;
      return parts.length === used ? (values as Values<F>) : undefined;
    },
    // Prefixes are letters only: nothing in them needs escaping.
    filter: () => new RegExp(`^${prefix}(?:${SEPARATOR}|$)`),
  };
}

/** The screens of one bot, and the prefixes they took. */
export interface Screens {
  screen<F extends Fields = NoFields>(prefix: string, fields?: F): Screen<F>;
  readonly prefixes: ReadonlySet<string>;
}

/**
 * Every screen of one bot, each with its own prefix, declared once: a second screen with a
 * prefix already taken (here or in one of `taken`, screens declared elsewhere whose buttons the
 * bot answers) is refused when it is defined, so no two screens ever read the same data.
 */
export function createScreens(...taken: Screens[]): Screens {
  const prefixes = new Set<string>(taken.flatMap((screens) => [...screens.prefixes]));
  return {
    prefixes,
    screen<F extends Fields = NoFields>(prefix: string, fields: F = {} as F): Screen<F> {
      if (!/^[a-z]{1,3}$/.test(prefix)) throw new Error(`screen prefix "${prefix}" must be 1-3 letters a-z`);
      if (prefixes.has(prefix)) throw new Error(`screen prefix "${prefix}" is already taken`);
      prefixes.add(prefix);
      return defineScreen(prefix, fields);
    },
  };
}

/**
 * Buttons that other parts of the shop than the bot put under their messages (notification's
 * alerts to admins), for the bot to answer: the bot's own screens are created after these
 * (`createScreens(sharedScreens)`), so no prefix is taken twice.
 */
export const sharedScreens = createScreens();

/** Open order, under an alert about it: the admin's card of the order. */
export const adminOrderButton = sharedScreens.screen('ao', { order: int({ min: 1 }) });

/**
 * Order again, under the message that an order's invoice expired: the bot puts the order's
 * lines back in the buyer's cart (only for the buyer's own order) and shows the cart.
 */
export const reorderButton = sharedScreens.screen('ro', { order: int({ min: 1 }) });

/**
 * Refunds to make, under an alert that a provider payment must be given back: the admin's list
 * of payments awaiting a refund, where each can be marked refunded.
 */
export const adminRefundsButton = sharedScreens.screen('ar');
