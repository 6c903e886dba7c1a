import {
  addToCartButton,
  buyButton,
  cardQuantityButton,
  cartButton,
  cartCheckoutButton,
  cartClearButton,
  cartQuantityButton,
  cartRemoveButton,
  categoriesButton,
  categoryButton,
  checkoutButtonOf,
  checkoutConfirmButton,
  checkoutStepButton,
  helpButton,
  loginButton,
  logoutButton,
  orderButton,
  ordersButton,
  productButton,
  registerButton,
  searchButton,
} from '../../src/buttons.ts';

type Id = string | number;

/** The callback data of the bot's buttons, built by the bot's own codec, as a user presses them. */
export const button = {
  categories: categoriesButton.build(),
  help: helpButton.build(),
  register: registerButton.build(),
  login: loginButton.build(),
  logout: logoutButton.build(),
  category: (category: Id, page = 1) => categoryButton.build({ category: String(category), page }),
  search: (page: number) => searchButton.build({ page }),
  /** A product card opened from page `page` of `category`. */
  product: (product: Id, category: Id, page = 1) =>
    productButton.build({
      product: String(product),
      back: { to: 'category', category: String(category), page },
    }),
  /** ➖ / ➕ on the card of `product` opened from page `page` of `category`: the card at `quantity`. */
  card: (product: Id, quantity: number, category: Id, page = 1) =>
    cardQuantityButton.build({
      product: String(product),
      quantity,
      back: { to: 'category', category: String(category), page },
    }),
  buy: (product: Id, quantity = 1) => buyButton.build({ product: String(product), quantity }),
  addToCart: (product: Id, quantity = 1) => addToCartButton.build({ product: String(product), quantity }),
  cart: cartButton.build(),
  /** ➖ / ➕ on a cart line: sets it to `quantity`. */
  cartLine: (product: Id, quantity: number) =>
    cartQuantityButton.build({ product: String(product), quantity }),
  cartRemove: (product: Id) => cartRemoveButton.build({ product: String(product) }),
  cartClear: cartClearButton.build(),
  checkout: cartCheckoutButton.build(),
  orders: (page = 1) => ordersButton.build({ page }),
  order: (order: Id, page = 1) => orderButton.build({ order: String(order), page }),
  cancel: (tag: string) => checkoutStepButton.build({ tag, step: 'cancel' }),
  changeDelivery: (tag: string) => checkoutStepButton.build({ tag, step: 'delivery' }),
  confirm: (tag: string, totalCents: number) => checkoutConfirmButton.build({ tag, totalCents }),
};

/** The checkout a button belongs to, or '' when it is no checkout button. */
export const checkoutTagOf = (data: string | undefined) => checkoutButtonOf(data)?.tag ?? '';

/** Whether `data` is a checkout's Confirm (of checkout `tag`, when given). */
export const isConfirm = (data: string | undefined, tag?: string) => {
  const pressed = checkoutButtonOf(data);
  return pressed?.action === 'confirm' && (tag === undefined || pressed.tag === tag);
};
