# Меню и кнопки
menu-catalog = 🛍 Каталог
menu-orders = 📦 Мои заказы
menu-help = ❓ Помощь
btn-register = 📝 Регистрация
btn-login = 🔑 Войти
btn-logout = 🚪 Выйти
btn-back = ⬅️ Назад
btn-prev = ◀️ Предыдущая
btn-next = Следующая ▶️
btn-order = 🛒 Заказать
btn-continue = ✅ Продолжить
btn-confirm = ✅ Подтвердить
btn-cancel = ✖️ Отмена
btn-retry = 🔄 Повторить
btn-open-private-chat = 💬 Открыть личный чат

# Команды
cmd-start = Главное меню
cmd-register = Создать аккаунт
cmd-login = Войти
cmd-logout = Выйти
cmd-catalog = Каталог товаров
cmd-orders = Мои заказы
cmd-help = Что я умею
cmd-cancel = Прервать текущее действие

# Старт, помощь, отмена
start-guest = 👋 Добро пожаловать в магазин! Зарегистрируйтесь или войдите, чтобы оформлять заказы; каталог открыт для всех.
start-member = 👋 С возвращением, { $email }! Что будем делать?
help =
    Я бот магазина. Вот что я умею:
    /catalog — товары по категориям
    /orders — ваши заказы и статус оплаты
    /register — создать аккаунт
    /login — войти в аккаунт
    /logout — выйти
    /cancel — прервать текущее действие
    Или просто напишите, что ищете, и я поищу в каталоге.
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
logout-done = 👋 Вы вышли. До встречи!
logout-not-signed-in = Вы и так не вошли.
session-expired = 🔒 Сессия истекла. Пожалуйста, войдите снова.
login-to-order = Чтобы оформить заказ, войдите или зарегистрируйтесь.
login-to-see-orders = Войдите, чтобы увидеть свои заказы.

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

# Оформление заказа
checkout-quantity =
    { $name } — { $price }
    В наличии: { $stock }
    Сколько штук? Нажимайте ➖ ➕ или напишите число. Количество: { $quantity }
quantity-not-number = Пришлите количество целым числом, например 2.
quantity-min = Количество должно быть не меньше 1.
quantity-max = В наличии только { $stock } шт.: выберите не больше { $stock }.
quantity-send-number = Напишите количество числом или используйте кнопки.
checkout-summary =
    Ваш заказ:
    { $name } × { $quantity } (по { $price })
    Итого: { $total }
    Подтверждаете?
checkout-use-buttons = Нажмите «Подтвердить» или «Отмена» выше, или /cancel.
checkout-quantity-chosen =
    { $name } — { $price }
    Количество: { $quantity }
checkout-price-changed = ⚠️ Цена изменилась: было { $old }, стало { $new } за штуку. Пока ничего не заказано: проверьте новую сумму.
checkout-confirm-new-total = Цена изменилась: проверьте новую сумму и подтвердите ещё раз.
checkout-cancelled = Оформление отменено: ничего не заказано.
checkout-finished = Это оформление уже завершено.
order-placed = ✅ Заказ №{ $number } оформлен, сумма { $total }. Резервирую товары, затем проходит оплата; я напишу, как только заказ будет оплачен или если это не получится.
order-service-down = 😕 Сервис заказов сейчас не отвечает. Нажмите «Подтвердить» ещё раз: дважды не спишем.
order-out-of-stock = К сожалению, товара уже не хватает для этого заказа.
order-rejected = Сервис заказов не принял заказ. Начните заново из каталога.

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
