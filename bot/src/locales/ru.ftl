# Меню и кнопки
menu-catalog = 🛍 Каталог
menu-orders = 📦 Мои заказы
menu-cart = 🛒 Корзина
menu-help = ❓ Помощь
btn-register = 📝 Регистрация
btn-login = 🔑 Войти
btn-logout = 🚪 Выйти
btn-back = ⬅️ Назад
btn-prev = ◀️ Предыдущая
btn-next = Следующая ▶️
btn-add-to-cart = 🛒 В корзину
btn-buy-now = ⚡ Купить сейчас
btn-checkout = ✅ Оформить
btn-clear-cart = 🧹 Очистить
btn-change-delivery = ✏️ Изменить данные доставки
btn-share-phone = 📱 Отправить мой номер
btn-confirm = ✅ Подтвердить
btn-cancel = ✖️ Отмена
btn-retry = 🔄 Повторить
btn-open-private-chat = 💬 Открыть личный чат

# Команды
cmd-start = Главное меню
cmd-register = Создать аккаунт с e-mail (необязательно)
cmd-login = Войти в аккаунт с e-mail
cmd-logout = Выйти
cmd-catalog = Каталог товаров
cmd-cart = Ваша корзина
cmd-orders = Мои заказы
cmd-help = Что я умею
cmd-cancel = Прервать текущее действие

# Старт, помощь, отмена
start-guest = 👋 Добро пожаловать в магазин! Смотрите каталог и заказывайте прямо здесь: достаточно вашего аккаунта Telegram, регистрация не нужна. Чтобы пользоваться магазином и вне Telegram, создайте аккаунт с e-mail через /register или войдите в свой через /login.
start-member = 👋 С возвращением, { $email }! Что будем делать?
help =
    Я бот магазина. Вот что я умею:
    /catalog — товары по категориям
    /cart — ваша корзина
    /orders — ваши заказы и статус оплаты
    /register — создать аккаунт с e-mail, чтобы пользоваться магазином и вне Telegram (необязательно)
    /login — войти в аккаунт с e-mail
    /logout — выйти (следующий заказ снова войдёт через ваш аккаунт Telegram)
    /cancel — прервать текущее действие
    Или просто напишите, что ищете, и я поищу в каталоге.
    Для заказа аккаунт не нужен: достаточно вашего аккаунта Telegram.
nothing-to-cancel = Отменять нечего. /help — список команд.
cancelled = Отменено. Что дальше?
left-conversation =
    { $activity ->
        [checkout] 🛒 Я прервал оформление заказа: ничего не заказано.
        [login] Я прервал вход.
       *[register] Я прервал регистрацию.
    }
unknown-command = Такой команды я не знаю. /help — список команд.
send-text-or-command = Я понимаю текст и команды. Напишите, что ищете, или загляните в /help.
button-inactive = Эта кнопка из старого сообщения и больше не работает.
error-generic = 😕 У нас что-то пошло не так. Попробуйте ещё раз.

# Сервисы
service-auth = сервис аккаунтов
service-catalog = каталог
service-order = сервис заказов
service-payment = сервис оплаты
service-down = 😕 Сейчас { $service } не отвечает. Попробуйте чуть позже.
service-down-short = Сейчас { $service } не отвечает.

# Регистрация и вход
register-ask-email = Создадим аккаунт. Ваш e-mail? (/cancel — прервать)
login-ask-email = Входим. Ваш e-mail? (/cancel — прервать)
email-invalid = Это не похоже на адрес e-mail. Пришлите адрес вида anna@example.com.
send-text = Пожалуйста, пришлите это текстом.
register-ask-password = Теперь придумайте пароль не короче 8 символов. Я удалю ваше сообщение сразу после прочтения.
login-ask-password = Ваш пароль? Я удалю сообщение сразу после прочтения.
password-too-short = Пароль слишком короткий: нужно не меньше 8 символов. Пришлите другой.
password-too-long = Пароль слишком длинный: не больше 72 байт, то есть 72 латинских или 36 русских букв. Пришлите покороче.
password-rejected = Сервис аккаунтов не принял этот пароль. Пришлите другой.
auth-down-retry = 😕 Сервис аккаунтов сейчас не отвечает. Пришлите пароль ещё раз чуть позже или /cancel.
register-email-taken = Аккаунт { $email } уже существует. Войти в него?
login-wrong = Неверный e-mail или пароль. Пришлите пароль ещё раз или /login, чтобы ввести другой e-mail.
login-locked = Слишком много неудачных попыток. Попробуйте снова через { $seconds } с.
login-still-locked = 🔒 Вход всё ещё заблокирован после неудачных попыток: я удалил сообщение, не проверяя его. Пришлите пароль снова через { $seconds } с или /cancel.
after-password-deleted = 🔒 Я удалил это сообщение и не стал его искать: оно пришло сразу после ввода пароля и может быть паролем. Чтобы поискать в каталоге, пришлите его снова через минуту.
telegram-linked-elsewhere = Этот Telegram уже привязан к другому аккаунту магазина. Войдите в него.
account-linked-elsewhere = Этот аккаунт магазина уже привязан к другому Telegram.
signed-in = ✅ Вы вошли как { $email }.
already-signed-in = Вы уже вошли как { $email }. Чтобы сменить аккаунт, сначала /logout.
logout-done = 👋 Вы вышли. Следующий заказ или /orders снова войдёт через ваш аккаунт Telegram, и ваши заказы будут на месте.
logout-done-email = 👋 Вы вышли из { $email }. Этот аккаунт Telegram остаётся к нему привязан: следующий заказ или /orders снова войдёт в него.
logout-not-signed-in = Вы и так не вошли. Заказывать всё равно можно: достаточно вашего аккаунта Telegram.
email-account-note = ℹ️ Пока вы покупаете только с аккаунтом Telegram. Когда вы войдёте здесь в аккаунт с e-mail, этот чат будет работать с ним: прежние заказы останутся у аккаунта Telegram (о них я по-прежнему напишу сюда), а /orders будет показывать заказы аккаунта с e-mail.
sign-in-refused = 🔒 Не удалось войти прямо сейчас. Попробуйте чуть позже.

# Каталог
catalog-title = 🛍 Выберите категорию:
catalog-empty = Каталог пока пуст.
products-title = 🛍 Товары
category-empty = В этой категории пока нет товаров.
category-gone = Этой категории больше нет.
page-of = Страница { $page } из { $pages }
page-gone = Этой страницы больше нет; вот последняя.
product-price = Цена: { $price }
product-stock = В наличии: { $stock }
product-out-of-stock = Нет в наличии
product-gone = Этого товара больше нет в продаже.
search-title = 🔎 Найдено по запросу «{ $query }»: { $total }
search-nothing = 🔎 По запросу «{ $query }» ничего не найдено. Попробуйте другое слово или откройте каталог.

# Количество (карточка товара и корзина)
quantity-min = Количество должно быть не меньше 1.
quantity-max = В наличии только { $stock } шт.: выберите не больше { $stock }.
quantity-limit = В одном заказе не больше { $max } шт. одного товара.

# Корзина
cart-title = 🛒 Ваша корзина:
cart-empty = 🛒 Корзина пуста. Добавьте товары из каталога.
cart-line = { $n }. { $name } × { $quantity } — { $total }
cart-line-short = { $n }. { $name } × { $quantity } — ⚠️ в наличии только { $stock } шт.
cart-line-gone = { $n }. { $name } — ❌ больше не продаётся
cart-total = Итого: { $total }
cart-fix-unavailable = Чтобы оформить заказ, удалите отмеченные товары или уменьшите их количество.
cart-has-unavailable = Некоторые товары в корзине сейчас нельзя купить: удалите их или уменьшите количество, затем оформите заказ.
cart-added = 🛒 Добавлено: { $name } × { $quantity }. В корзине: { $inCart }.
cart-line-limit = В корзину помещается не больше { $max } шт. одного товара, а там уже { $inCart }.
cart-over-stock = В наличии только { $stock } шт., а в корзине у вас уже { $inCart }.
cart-full = В корзине помещается не больше { $max } разных товаров: удалите один или сначала оформите заказ.
cart-use-remove = Количество должно быть не меньше 1: чтобы убрать товар, нажмите 🗑.
cart-cleared = Корзина очищена.

# Оформление заказа
delivery-ask-name = 🚚 Куда доставить заказ? Сначала имя получателя. (/cancel — прервать)
delivery-ask-phone = 📱 Телефон для курьера: нажмите кнопку ниже, чтобы отправить свой номер, или напишите его, например +7 999 123-45-67.
delivery-ask-address = 🏠 И адрес доставки: город, улица, дом, квартира?
delivery-name-invalid = Пришлите имя длиной от 1 до 100 символов.
delivery-phone-invalid = Это не похоже на номер телефона. Напишите его цифрами, от 7 до 15, например +7 999 123-45-67, или нажмите кнопку ниже, чтобы отправить свой.
delivery-contact-not-yours = Это чужой контакт. Отправьте свой номер кнопкой ниже или напишите номер.
delivery-address-invalid = Пришлите адрес длиной от 1 до 500 символов.
checkout-summary =
    Ваш заказ:
    { $lines }
    Доставка: { $name }, { $phone }
    { $address }
    Итого: { $total }
    Подтверждаете?
checkout-summary-line = • { $name } × { $quantity } (по { $price }) — { $total }
checkout-use-buttons = Нажмите «Подтвердить» или «Отмена» выше, или /cancel.
checkout-prices-changed = ⚠️ Цены изменились: { $changes }. Пока ничего не заказано: проверьте новую сумму.
checkout-price-change = { $name } { $old } → { $new }
checkout-total-changed = ⚠️ Теперь заказ стоит { $total }. Пока ничего не заказано: проверьте его.
checkout-confirm-new-total = Цена изменилась: проверьте новую сумму и подтвердите ещё раз.
checkout-cancelled = Оформление отменено: ничего не заказано.
checkout-finished = Это оформление уже завершено.
order-placed = ✅ Заказ №{ $number } оформлен, сумма { $total }. Резервирую товары, затем проходит оплата; я напишу, как только заказ будет оплачен или если это не получится.
order-service-down = 😕 Сервис заказов сейчас не отвечает. Нажмите «Подтвердить» ещё раз: дважды не спишем.
order-out-of-stock = К сожалению, товара уже не хватает для этого заказа.
order-rejected = Сервис заказов не принял заказ. Начните заново из каталога.
order-product-gone = { $names }: больше не продаётся, поэтому ничего не заказано. Уберите товар из корзины (/cart) и оформите заказ снова.
order-cart-empty = Корзина пуста: ничего не заказано.
order-cart-changed = Пока вы оформляли заказ, корзина изменилась, поэтому ничего не заказано. Проверьте её в /cart и оформите заказ снова.

# Заказы
orders-title = 📦 Ваши заказы, сначала новые:
orders-empty = У вас пока нет заказов.
order-gone = Такой заказ не найден.
order-title = Заказ №{ $number } — { $status }
order-item = • { $name } × { $quantity } — { $total }
order-total = Итого: { $total }
order-payment = Оплата: { $payment }
status-pending = ⏳ резервируем товары
status-awaiting_payment = 💳 ожидает оплаты
status-paid = ✅ оплачен
status-cancelled = ✖️ отменён
status-payment_failed = ❌ оплата не прошла
order-cancel-reason = Отменён: { $reason }
cancel-reason-out_of_stock = товара не хватило
cancel-reason-expired = не оплачен вовремя
cancel-reason-buyer = вами
cancel-reason-merchant = магазином
order-held =
    { $minutes ->
        [one] Товары отложены для вас ещё на { $minutes } минуту.
        [few] Товары отложены для вас ещё на { $minutes } минуты.
       *[other] Товары отложены для вас ещё на { $minutes } минут.
    }
btn-cancel-order = ✖️ Отменить заказ
order-cancelled-now = Заказ №{ $number } отменён.
order-not-cancellable = Этот заказ уже нельзя отменить.
payment-pending = обрабатывается
payment-succeeded = прошла
payment-failed = не прошла
payment-refunded = возвращена
payment-refund_pending = возвращается
payment-none = ещё не началась
payment-unknown = сейчас неизвестна (сервис оплаты не отвечает)

# Группы и каналы
private-only = 🔒 Магазин работает только в личном чате со мной, чтобы ваши заказы и вход оставались вашими. Откройте чат: { $link }
private-only-alert = 🔒 Магазин работает только в личном чате со мной: { $link }
not-your-button = Эта кнопка из чужого чата.

# Карточка заказа, которую админ открывает из оповещения («Открыть заказ»).
admin-order-delivery = Доставка: { $name }, { $phone }, { $address }
