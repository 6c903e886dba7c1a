/**
 * The demo catalog a fresh database starts with. Prices are integer minor units of the product's
 * currency: cents of the shop's currency, or whole Telegram Stars for the digital goods (`XTR`,
 * paid with a Stars invoice; see docs/decisions/telegram-payments.md).
 */

import { STARS_CURRENCY } from '@shop/shared';

export interface SeedCategory {
  slug: string;
  en: string;
  ru: string;
}

export interface SeedProduct {
  category: string;
  en: [name: string, description: string];
  ru: [name: string, description: string];
  priceCents: number;
  stock: number;
  /** The shop's currency unless given. */
  currency?: string;
}

export { SHOP_CURRENCY } from '@shop/shared';

export const seedCategories: SeedCategory[] = [
  { slug: 'electronics', en: 'Electronics', ru: 'Электроника' },
  { slug: 'books', en: 'Books', ru: 'Книги' },
  { slug: 'clothing', en: 'Clothing', ru: 'Одежда' },
  { slug: 'home-kitchen', en: 'Home & Kitchen', ru: 'Дом и кухня' },
  { slug: 'sports', en: 'Sports & Outdoors', ru: 'Спорт и отдых' },
  { slug: 'toys', en: 'Toys & Games', ru: 'Игрушки и игры' },
  { slug: 'digital', en: 'Digital goods (Telegram Stars)', ru: 'Цифровые товары (Telegram Stars)' },
];

const item = (
  category: string,
  en: [string, string],
  ru: [string, string],
  priceCents: number,
  stock: number,
): SeedProduct => ({ category, en, ru, priceCents, stock });

/** A digital product, priced in whole Telegram Stars. */
const digital = (en: [string, string], ru: [string, string], stars: number): SeedProduct => ({
  category: 'digital',
  en,
  ru,
  priceCents: stars,
  stock: 10_000,
  currency: STARS_CURRENCY,
});

export const seedProducts: SeedProduct[] = [
  item(
    'electronics',
    ['Wireless Earbuds', 'Bluetooth 5.3 earbuds with active noise cancelling and a 24-hour charging case.'],
    [
      'Беспроводные наушники',
      'Наушники Bluetooth 5.3 с активным шумоподавлением и кейсом на 24 часа работы.',
    ],
    7999,
    120,
  ),
  item(
    'electronics',
    ['Mechanical Keyboard', 'Compact 75% keyboard with hot-swappable tactile switches and white backlight.'],
    [
      'Механическая клавиатура',
      'Компактная клавиатура 75% с тактильными переключателями и белой подсветкой.',
    ],
    11900,
    45,
  ),
  item(
    'electronics',
    ['USB-C Charger 65 W', 'Gallium nitride charger with two USB-C ports and one USB-A port.'],
    ['Зарядное устройство USB-C 65 Вт', 'Зарядка на нитриде галлия: два порта USB-C и один USB-A.'],
    3999,
    300,
  ),
  item(
    'electronics',
    ['Smartwatch', 'Heart rate, sleep tracking, GPS and a week of battery life.'],
    ['Умные часы', 'Пульс, отслеживание сна, GPS и неделя работы от батареи.'],
    19900,
    30,
  ),
  item(
    'electronics',
    ['Portable Speaker', 'Waterproof speaker with deep bass and 12 hours of playback.'],
    ['Портативная колонка', 'Водонепроницаемая колонка с глубоким басом и 12 часами работы.'],
    5490,
    80,
  ),
  item(
    'electronics',
    ['Laptop 14"', 'Lightweight laptop, 16 GB RAM, 512 GB SSD, all-day battery.'],
    ['Ноутбук 14"', 'Лёгкий ноутбук: 16 ГБ ОЗУ, SSD 512 ГБ, батарея на весь день.'],
    129900,
    12,
  ),
  item(
    'books',
    [
      'The Pragmatic Programmer',
      'Classic advice on the craft of software development, 20th anniversary edition.',
    ],
    ['Программист-прагматик', 'Классические советы о ремесле разработки, юбилейное издание.'],
    4299,
    60,
  ),
  item(
    'books',
    [
      'Designing Data-Intensive Applications',
      'How databases, caches and queues really work, and how to combine them.',
    ],
    [
      'Высоконагруженные приложения',
      'Как на самом деле работают базы данных, кэши и очереди и как их сочетать.',
    ],
    4999,
    40,
  ),
  item(
    'books',
    ['War and Peace', "Leo Tolstoy's epic novel in a new hardcover translation."],
    ['Война и мир', 'Роман-эпопея Льва Толстого в твёрдом переплёте.'],
    2499,
    75,
  ),
  item(
    'books',
    ['The Master and Margarita', "Mikhail Bulgakov's novel about the devil's visit to Moscow."],
    ['Мастер и Маргарита', 'Роман Михаила Булгакова о визите дьявола в Москву.'],
    1899,
    90,
  ),
  item(
    'books',
    ['Cooking for Beginners', 'One hundred simple recipes with step-by-step photos.'],
    ['Кулинария для начинающих', 'Сто простых рецептов с пошаговыми фотографиями.'],
    2199,
    55,
  ),
  item(
    'books',
    ['Atlas of the World', 'Large-format atlas with up-to-date political and physical maps.'],
    ['Атлас мира', 'Большой атлас с актуальными политическими и физическими картами.'],
    3499,
    25,
  ),
  item(
    'clothing',
    ['Cotton T-Shirt', 'Organic cotton crew-neck T-shirt, regular fit.'],
    ['Хлопковая футболка', 'Футболка из органического хлопка с круглым вырезом, классический крой.'],
    1999,
    200,
  ),
  item(
    'clothing',
    ['Hoodie', 'Warm fleece hoodie with a kangaroo pocket.'],
    ['Худи', 'Тёплое флисовое худи с карманом-кенгуру.'],
    4599,
    85,
  ),
  item(
    'clothing',
    ['Denim Jeans', 'Straight-leg jeans in stretch denim.'],
    ['Джинсы', 'Прямые джинсы из эластичного денима.'],
    5900,
    70,
  ),
  item(
    'clothing',
    ['Winter Jacket', 'Down jacket rated to minus 25 degrees, with a hood.'],
    ['Зимняя куртка', 'Пуховик с капюшоном, рассчитан на мороз до минус 25 градусов.'],
    18900,
    20,
  ),
  item(
    'clothing',
    ['Wool Socks, 3 pairs', 'Merino wool socks that keep feet dry.'],
    ['Шерстяные носки, 3 пары', 'Носки из шерсти мериноса, ноги остаются сухими.'],
    1499,
    150,
  ),
  item(
    'clothing',
    ['Running Cap', 'Breathable cap with a reflective logo.'],
    ['Беговая кепка', 'Дышащая кепка со светоотражающим логотипом.'],
    1299,
    95,
  ),
  item(
    'home-kitchen',
    ['French Press 1 L', 'Borosilicate glass coffee press with a stainless steel filter.'],
    ['Френч-пресс 1 л', 'Кофейник из боросиликатного стекла со стальным фильтром.'],
    2899,
    65,
  ),
  item(
    'home-kitchen',
    ["Chef's Knife", "20 cm chef's knife forged from high-carbon steel."],
    ['Поварской нож', 'Поварской нож 20 см из высокоуглеродистой стали.'],
    6499,
    35,
  ),
  item(
    'home-kitchen',
    ['Cast Iron Skillet', 'Pre-seasoned 26 cm skillet for stove, oven and campfire.'],
    ['Чугунная сковорода', 'Сковорода 26 см, готова к использованию на плите, в духовке и на костре.'],
    3999,
    50,
  ),
  item(
    'home-kitchen',
    ['Electric Kettle', '1.7 L kettle with temperature control and keep-warm mode.'],
    ['Электрический чайник', 'Чайник 1,7 л с выбором температуры и поддержанием тепла.'],
    4999,
    60,
  ),
  item(
    'home-kitchen',
    ['Bath Towel Set', 'Two large towels in soft Turkish cotton.'],
    ['Набор банных полотенец', 'Два больших полотенца из мягкого турецкого хлопка.'],
    3299,
    80,
  ),
  item(
    'home-kitchen',
    ['Desk Lamp', 'LED desk lamp with adjustable brightness and colour temperature.'],
    ['Настольная лампа', 'Светодиодная лампа с регулировкой яркости и цветовой температуры.'],
    3799,
    45,
  ),
  item(
    'sports',
    ['Yoga Mat', 'Non-slip 6 mm mat with a carrying strap.'],
    ['Коврик для йоги', 'Нескользящий коврик 6 мм с ремнём для переноски.'],
    2999,
    110,
  ),
  item(
    'sports',
    ['Dumbbell Set 2 × 5 kg', 'Pair of neoprene-coated dumbbells.'],
    ['Набор гантелей 2 × 5 кг', 'Пара гантелей в неопреновом покрытии.'],
    4499,
    40,
  ),
  item(
    'sports',
    ['Trekking Backpack 40 L', 'Backpack with a rain cover and a ventilated back panel.'],
    ['Туристический рюкзак 40 л', 'Рюкзак с дождевиком и вентилируемой спинкой.'],
    8900,
    25,
  ),
  item(
    'sports',
    ['Insulated Water Bottle', 'Keeps drinks cold for 24 hours or hot for 12.'],
    ['Термобутылка', 'Держит холод 24 часа или тепло 12 часов.'],
    2499,
    130,
  ),
  item(
    'sports',
    ['Road Bike Helmet', 'Lightweight helmet with MIPS protection.'],
    ['Велосипедный шлем', 'Лёгкий шлем с системой защиты MIPS.'],
    9900,
    18,
  ),
  item(
    'sports',
    ['Camping Tent for 2', 'Two-person tent that pitches in five minutes.'],
    ['Палатка двухместная', 'Палатка на двоих, ставится за пять минут.'],
    15900,
    10,
  ),
  item(
    'toys',
    ['Building Blocks, 500 pieces', 'Compatible bricks in twelve colours with an idea booklet.'],
    ['Конструктор, 500 деталей', 'Совместимые кубики двенадцати цветов с книжкой идей.'],
    3499,
    70,
  ),
  item(
    'toys',
    ['Jigsaw Puzzle 1000', 'A 1000-piece puzzle of the Moscow skyline at night.'],
    ['Пазл 1000 деталей', 'Пазл из 1000 деталей с ночной Москвой.'],
    1799,
    60,
  ),
  item(
    'toys',
    ['Chess Set', 'Wooden chess set with a folding board.'],
    ['Шахматы', 'Деревянные шахматы со складной доской.'],
    3999,
    40,
  ),
  item(
    'toys',
    ['Plush Bear', 'Soft 40 cm teddy bear, safe from birth.'],
    ['Плюшевый мишка', 'Мягкий мишка 40 см, безопасен с рождения.'],
    2299,
    85,
  ),
  item(
    'toys',
    ['Remote Control Car', 'Off-road RC car with a rechargeable battery.'],
    ['Машинка на радиоуправлении', 'Внедорожник на пульте с аккумулятором.'],
    5999,
    30,
  ),
  item(
    'toys',
    ['Board Game: Catan', 'The classic game of trading and building for 3 to 4 players.'],
    ['Настольная игра «Колонизаторы»', 'Классическая игра о торговле и строительстве для 3–4 игроков.'],
    4499,
    35,
  ),
  digital(
    ['E-book: The Art of Tea', 'An illustrated guide to brewing tea at home, in EPUB and PDF.'],
    [
      'Электронная книга «Искусство чая»',
      'Иллюстрированное руководство по завариванию чая дома, EPUB и PDF.',
    ],
    100,
  ),
  digital(
    ['Wallpaper Pack: Northern Lights', 'Twelve 4K wallpapers for phone and desktop.'],
    ['Набор обоев «Северное сияние»', 'Двенадцать обоев в 4K для телефона и компьютера.'],
    50,
  ),
  digital(
    ['Sticker Pack: Cheerful Cats', 'Thirty animated stickers for your chats.'],
    ['Стикерпак «Весёлые коты»', 'Тридцать анимированных стикеров для ваших чатов.'],
    25,
  ),
];
