import type { Language } from '@shop/shared';

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
};

export const texts: Record<Language, Texts> = { en, ru };
