import type { Language } from '@shop/shared';
import type { OrderStatus } from './clients/order.ts';

type OrderRefusal =
  | 'price_changed'
  | 'insufficient_stock'
  | 'mixed_currencies'
  | 'cart_empty'
  | 'cart_changed'
  | 'product_unavailable'
  | 'stars_need_telegram';

/** Every word the storefront shows, in each language it speaks. */
export interface Texts {
  shopName: string;
  catalog: string;
  search: string;
  searchLabel: string;
  categories: string;
  allProducts: string;
  inStock: (count: number) => string;
  outOfStock: string;
  noPhoto: string;
  nothingFound: (query: string) => string;
  noProducts: string;
  previous: string;
  next: string;
  pageOf: (page: number, pages: number) => string;
  pages: string;
  language: string;
  backToCatalog: string;
  notFoundTitle: string;
  notFound: string;
  unavailableTitle: string;
  unavailable: string;
  errorTitle: string;
  error: string;
  forbiddenTitle: string;
  forbidden: string;
  cart: string;
  orders: string;
  account: string;
  signIn: string;
  register: string;
  signOut: string;
  email: string;
  password: string;
  newPassword: string;
  noAccount: string;
  haveAccount: string;
  signInFirst: string;
  wrongCredentials: string;
  emailTaken: string;
  badCredentials: string;
  tooManyTries: string;
  quantity: string;
  addToCart: string;
  update: string;
  remove: string;
  cartEmpty: string;
  total: string;
  unavailableLine: string;
  toCheckout: string;
  checkout: string;
  deliveryDetails: string;
  name: string;
  phone: string;
  address: string;
  confirm: (total: string) => string;
  badDelivery: string;
  /** Order's 409s by their code. */
  orderRefused: Record<OrderRefusal, string>;
  cartRefused: Record<'product_not_found' | 'cart_full', string>;
  order: (id: number) => string;
  noOrders: string;
  placedAt: (date: string) => string;
  status: string;
  statuses: Record<OrderStatus, string>;
  trackingNote: string;
  signedInAs: string;
  save: string;
  /** A browser's cart priced in Telegram Stars: where it can be paid. */
  starsNeedTelegram: string;
  /** The Main Button on the cart page. */
  checkoutFor: (total: string) => string;
  addToCartFor: (price: string) => string;
  /** Paying an order inside Telegram (the Mini App's Pay and what the invoice said when it closed). */
  pay: (total: string) => string;
  payNotReady: string;
  payNoLonger: string;
  payUnavailable: string;
  payPaid: string;
  payPending: string;
  payCancelled: string;
  payFailed: string;
  /** The Main Button once the order is paid: closes the Mini App, back to the chat and its receipt. */
  backToChat: string;
  /** Inside Telegram's web client, when the browser keeps the Mini App's session cookie out. */
  miniAppCookies: string;
}

const en: Texts = {
  shopName: 'Telegram Shop',
  catalog: 'Catalog',
  search: 'Search',
  searchLabel: 'Search products',
  categories: 'Categories',
  allProducts: 'All products',
  inStock: (count) => `In stock: ${count}`,
  outOfStock: 'Out of stock',
  noPhoto: 'No photo',
  nothingFound: (query) => `Nothing found for “${query}”.`,
  noProducts: 'No products here yet.',
  previous: 'Previous',
  next: 'Next',
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
  pages: 'Pages',
  language: 'Language',
  backToCatalog: 'Back to the catalog',
  notFoundTitle: 'Not found',
  notFound: 'There is no such page, or the product is no longer sold.',
  unavailableTitle: 'The shop is busy',
  unavailable: 'The shop cannot answer right now. Please try again in a moment.',
  errorTitle: 'Something went wrong',
  error: 'This request could not be handled.',
  forbiddenTitle: 'Refused',
  forbidden: 'This form was sent from another site, so nothing was done. Please use the shop’s own page.',
  cart: 'Cart',
  orders: 'Orders',
  account: 'Account',
  signIn: 'Sign in',
  register: 'Create an account',
  signOut: 'Sign out',
  email: 'E-mail',
  password: 'Password',
  newPassword: 'Password (at least 8 characters)',
  noAccount: 'No account yet?',
  haveAccount: 'Already have an account?',
  signInFirst: 'Please sign in to continue.',
  wrongCredentials: 'The e-mail or the password is wrong.',
  emailTaken: 'An account with this e-mail already exists. Sign in instead.',
  badCredentials: 'Please give a valid e-mail and a password of at least 8 characters.',
  tooManyTries: 'Too many attempts. Please wait a minute and try again.',
  quantity: 'Quantity',
  addToCart: 'Add to cart',
  update: 'Update',
  remove: 'Remove',
  cartEmpty: 'Your cart is empty.',
  total: 'Total',
  unavailableLine: 'Not available in this quantity',
  toCheckout: 'Check out',
  checkout: 'Checkout',
  deliveryDetails: 'Delivery details',
  name: 'Name',
  phone: 'Phone',
  address: 'Address',
  confirm: (total) => `Place the order for ${total}`,
  badDelivery: 'Please fill in a name, a phone number (7–15 digits) and an address.',
  orderRefused: {
    price_changed:
      'Prices have changed since you opened this page. Please check the new total and confirm again.',
    insufficient_stock: 'Some items are no longer in stock in this quantity. Please change your cart.',
    mixed_currencies:
      'Items priced in different currencies cannot be ordered together. Please order them separately.',
    cart_empty: 'Your cart is empty.',
    cart_changed: 'Your cart changed meanwhile (another device?). Please check it and confirm again.',
    product_unavailable: 'A product in your cart is no longer sold. Please remove it.',
    stars_need_telegram:
      'Items priced in Telegram Stars can be paid only inside Telegram. Please order them from our bot in Telegram, or from the shop it opens there.',
  },
  cartRefused: {
    product_not_found: 'This product is no longer sold.',
    cart_full: 'Your cart is full (20 different products). Please order or remove some first.',
  },
  order: (id) => `Order #${id}`,
  noOrders: 'You have no orders yet.',
  placedAt: (date) => `Placed ${date}`,
  status: 'Status',
  statuses: {
    pending: 'Placed, checking stock',
    awaiting_payment: 'Awaiting payment',
    paid: 'Paid',
    shipped: 'Shipped',
    delivered: 'Delivered',
    cancelled: 'Cancelled',
    payment_failed: 'Payment failed',
  },
  trackingNote: 'Tracking',
  signedInAs: 'You are signed in.',
  save: 'Save',
  starsNeedTelegram:
    'Items priced in Telegram Stars can be paid only inside Telegram. Please order them from our bot in Telegram, or from the shop it opens there.',
  checkoutFor: (total) => `Check out · ${total}`,
  addToCartFor: (price) => `Add to cart · ${price}`,
  pay: (total) => `Pay ${total}`,
  payNotReady: 'The invoice is being prepared. Please try again in a moment.',
  payNoLonger: 'This order can no longer be paid.',
  payUnavailable: 'Telegram could not make the invoice just now. Please try again in a moment.',
  payPaid: 'Payment received. Confirming it…',
  payPending: 'The payment is being processed…',
  payCancelled: 'The invoice was closed without paying.',
  payFailed: 'The payment did not go through. You can try again.',
  backToChat: 'Back to the chat',
  miniAppCookies:
    'Your browser keeps this shop from remembering you inside Telegram Web. Please open the shop in the Telegram app, or allow its cookies.',
};

const ru: Texts = {
  shopName: 'Telegram Shop',
  catalog: 'Каталог',
  search: 'Найти',
  searchLabel: 'Поиск товаров',
  categories: 'Категории',
  allProducts: 'Все товары',
  inStock: (count) => `В наличии: ${count}`,
  outOfStock: 'Нет в наличии',
  noPhoto: 'Нет фото',
  nothingFound: (query) => `По запросу «${query}» ничего не нашлось.`,
  noProducts: 'Здесь пока нет товаров.',
  previous: 'Назад',
  next: 'Дальше',
  pageOf: (page, pages) => `Страница ${page} из ${pages}`,
  pages: 'Страницы',
  language: 'Язык',
  backToCatalog: 'Вернуться в каталог',
  notFoundTitle: 'Не найдено',
  notFound: 'Такой страницы нет, или товар больше не продаётся.',
  unavailableTitle: 'Магазин занят',
  unavailable: 'Магазин сейчас не отвечает. Попробуйте ещё раз чуть позже.',
  errorTitle: 'Что-то пошло не так',
  error: 'Этот запрос не удалось обработать.',
  forbiddenTitle: 'Отказано',
  forbidden:
    'Эта форма отправлена с другого сайта, поэтому ничего не сделано. Воспользуйтесь страницей магазина.',
  cart: 'Корзина',
  orders: 'Заказы',
  account: 'Профиль',
  signIn: 'Войти',
  register: 'Создать аккаунт',
  signOut: 'Выйти',
  email: 'Эл. почта',
  password: 'Пароль',
  newPassword: 'Пароль (не короче 8 символов)',
  noAccount: 'Ещё нет аккаунта?',
  haveAccount: 'Уже есть аккаунт?',
  signInFirst: 'Войдите, чтобы продолжить.',
  wrongCredentials: 'Неверная почта или пароль.',
  emailTaken: 'Аккаунт с этой почтой уже есть. Войдите в него.',
  badCredentials: 'Укажите правильную почту и пароль не короче 8 символов.',
  tooManyTries: 'Слишком много попыток. Подождите минуту и попробуйте снова.',
  quantity: 'Количество',
  addToCart: 'В корзину',
  update: 'Изменить',
  remove: 'Убрать',
  cartEmpty: 'Корзина пуста.',
  total: 'Итого',
  unavailableLine: 'Нет в таком количестве',
  toCheckout: 'Оформить заказ',
  checkout: 'Оформление заказа',
  deliveryDetails: 'Доставка',
  name: 'Имя',
  phone: 'Телефон',
  address: 'Адрес',
  confirm: (total) => `Заказать на ${total}`,
  badDelivery: 'Укажите имя, телефон (7–15 цифр) и адрес.',
  orderRefused: {
    price_changed: 'Цены изменились, пока страница была открыта. Проверьте новую сумму и подтвердите снова.',
    insufficient_stock: 'Некоторых товаров больше нет в таком количестве. Измените корзину.',
    mixed_currencies: 'Товары в разных валютах нельзя заказать вместе. Закажите их по отдельности.',
    cart_empty: 'Корзина пуста.',
    cart_changed: 'Корзина изменилась (на другом устройстве?). Проверьте её и подтвердите снова.',
    product_unavailable: 'Один из товаров в корзине больше не продаётся. Уберите его.',
    stars_need_telegram:
      'Товары за Telegram Stars можно оплатить только внутри Telegram. Закажите их у нашего бота в Telegram или в магазине, который он там открывает.',
  },
  cartRefused: {
    product_not_found: 'Этот товар больше не продаётся.',
    cart_full: 'Корзина заполнена (20 разных товаров). Сначала закажите или уберите что-нибудь.',
  },
  order: (id) => `Заказ №${id}`,
  noOrders: 'У вас пока нет заказов.',
  placedAt: (date) => `Оформлен ${date}`,
  status: 'Статус',
  statuses: {
    pending: 'Оформлен, проверяем наличие',
    awaiting_payment: 'Ожидает оплаты',
    paid: 'Оплачен',
    shipped: 'Отправлен',
    delivered: 'Доставлен',
    cancelled: 'Отменён',
    payment_failed: 'Оплата не прошла',
  },
  trackingNote: 'Отслеживание',
  signedInAs: 'Вы вошли в аккаунт.',
  save: 'Сохранить',
  starsNeedTelegram:
    'Товары за Telegram Stars можно оплатить только внутри Telegram. Закажите их у нашего бота в Telegram или в магазине, который он там открывает.',
  checkoutFor: (total) => `Оформить · ${total}`,
  addToCartFor: (price) => `В корзину · ${price}`,
  pay: (total) => `Оплатить ${total}`,
  payNotReady: 'Счёт ещё готовится. Попробуйте через минуту.',
  payNoLonger: 'Этот заказ больше нельзя оплатить.',
  payUnavailable: 'Telegram сейчас не смог выставить счёт. Попробуйте ещё раз чуть позже.',
  payPaid: 'Оплата получена. Подтверждаем…',
  payPending: 'Платёж обрабатывается…',
  payCancelled: 'Счёт закрыт без оплаты.',
  payFailed: 'Платёж не прошёл. Можно попробовать ещё раз.',
  backToChat: 'Вернуться в чат',
  miniAppCookies:
    'Ваш браузер не даёт магазину запомнить вас внутри Telegram Web. Откройте магазин в приложении Telegram или разрешите его файлы cookie.',
};

export const texts: Record<Language, Texts> = { en, ru };
