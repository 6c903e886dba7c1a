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
btn-open-in-shop = 🌐 Открыть в магазине
# Кнопка меню рядом с полем ввода: открывает витрину как Mini App.
menu-button-shop = Магазин

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
        [adminNewProduct] Я прервал создание товара: несохранённое не сохранено.
        [adminEditProduct] Я прервал правку товара: он остался как был.
        [adminNewCategory] Я прервал создание категории: ничего не создано.
        [adminRenameCategory] Я прервал переименование категории: она осталась как была.
        [adminShipOrder] Я прервал отправку: заказ остался как был.
        [adminCancelOrder] Я прервал отмену: заказ остался как был.
        [announce] 📣 Я прервал рассылку: ничего не отправлено.
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
service-notification = сервис уведомлений
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
order-placed = ✅ Заказ №{ $number } оформлен, сумма { $total }. Резервирую товары. Если магазин принимает оплату в Telegram, следом в этот чат придёт счёт с кнопкой «Оплатить»; иначе оплата спишется сразу. Я напишу, как только заказ будет оплачен или если это не получится.
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
status-shipped = 🚚 отправлен
status-delivered = 📦 доставлен
status-cancelled = ✖️ отменён
status-payment_failed = ❌ оплата не прошла
order-cancel-reason = Отменён: { $reason }
order-cancel-note = Комментарий магазина: { $note }
order-tracking = Отслеживание: { $note }
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

# Merchant: the menu (/admin) and the catalog
admin-menu = 🛠 Управление магазином. Что будем настраивать?
admin-menu-catalog = 🗂 Каталог
admin-menu-announce = 📣 Рассылка
admin-catalog = 🗂 Категории в том порядке, в каком их видят покупатели (🙈 — скрыта от покупателей). Выберите категорию, чтобы управлять ею и её товарами:
admin-catalog-empty = 🗂 В каталоге пока нет категорий. Начните с новой категории.
admin-btn-new-category = ➕ Новая категория
admin-btn-new-product = ➕ Новый товар
admin-btn-name-en = ✏️ Название (англ.)
admin-btn-name-ru = ✏️ Название (рус.)
admin-btn-description-en = ✏️ Описание (англ.)
admin-btn-description-ru = ✏️ Описание (рус.)
admin-btn-price = 💰 Цена
admin-btn-category = 🗂 Категория
admin-btn-stock-set = 📦 Задать остаток
admin-btn-stock-add = ➕ Добавить на склад
admin-btn-photo = 🖼 Фото
admin-btn-up = ⬆️ Выше
admin-btn-down = ⬇️ Ниже
admin-btn-hide = 🙈 Скрыть
admin-btn-show = 👁 Показать
admin-btn-skip = ⏭ Пропустить
admin-btn-clear = 🧹 Оставить пустым
admin-btn-open-product = 🛠 Открыть товар
admin-btn-open-category = 🗂 Открыть категорию
admin-category-title = 🗂 { $en } / { $ru }
admin-category-empty = В этой категории пока нет товаров.
admin-hidden = 🙈 Скрыт от покупателей
admin-visible = 👁 Покупатели видят
admin-now-hidden = 🙈 Теперь скрыт от покупателей.
admin-now-visible = 👁 Теперь покупатели видят.
admin-product-title = 🛠 Товар №{ $id }
admin-none = —
admin-field-nameEn = Название (англ.)
admin-field-nameRu = Название (рус.)
admin-field-descriptionEn = Описание (англ.)
admin-field-descriptionRu = Описание (рус.)
admin-field-price = Цена
admin-field-stock = На складе
admin-field-category = Категория
admin-field-photo = Фото
admin-photo-yes = есть
admin-photo-no = пока нет

# Merchant: forms
admin-need-category = Категорий пока нет: сначала создайте категорию (/admin → 🗂 Каталог → ➕ Новая категория).
admin-ask-category = ➕ Новый товар. В какой он категории? (/cancel — отменить)
admin-ask-name-en = Его название на английском?
admin-ask-name-ru = Его название на русском?
admin-ask-description-en = Его описание на английском? (или «Пропустить»)
admin-ask-description-ru = Его описание на русском? (или «Пропустить»)
admin-ask-price = Его цена в { $currency }, например 12.50?
admin-ask-stock = Сколько штук на складе? Целое число, например 10.
admin-ask-photo = ✅ Товар №{ $id } сохранён, покупатели его видят. Последний шаг: пришлите его фото (как фото, а не файлом) или нажмите «Пропустить».
admin-ask-photo-edit = Пришлите новое фото (как фото, а не файлом) или /cancel, чтобы оставить прежнее.
admin-ask-edit =
    { $field } сейчас: { $current }
    Пришлите новое значение или /cancel, чтобы оставить как есть.
admin-ask-stock-add = На складе сейчас: { $current }. Сколько добавить? Целое число, например 5 (или -2, чтобы списать 2).
admin-ask-category-en = ➕ Новая категория. Её название на английском? (/cancel — отменить)
admin-ask-category-ru = Её название на русском?
admin-product-created = ✅ Товар №{ $id } готов.
admin-category-created = ✅ Категория «{ $name }» создана; она последняя в каталоге.
admin-saved = ✅ Сохранено.
admin-send-text = Пожалуйста, пришлите это текстовым сообщением.
admin-use-buttons = Пожалуйста, выберите кнопкой выше или отправьте /cancel.
admin-text-too-long = Здесь { $length } символов, а помещается не больше { $max }. Пришлите, пожалуйста, покороче.
admin-text-empty = Текст пустой. Пришлите, пожалуйста, текст.
admin-text-invalid = Такой текст сохранить нельзя. Пришлите, пожалуйста, другой.
admin-price-invalid = Это не цена. Пришлите число, например 12.50.
admin-price-negative = Цена должна быть больше нуля. Пришлите цену, например 12.50.
admin-price-precision =
    { $digits ->
        [0] В этой валюте нет копеек: пришлите целое число, например 12.
        [one] В цене не больше 1 знака после запятой. Пришлите, например, 12.5.
       *[other] В цене не больше { $digits } знаков после запятой. Пришлите, например, 12.50.
    }
admin-price-too-large = Слишком большая цена. Пришлите цену поменьше.
admin-stock-invalid = Это не число. Пришлите целое число, например 10.
admin-stock-negative = Остаток не может быть отрицательным. Пришлите 0 или больше, например 10.
admin-stock-too-large = Слишком много. Пришлите число поменьше.
admin-stock-change-zero = Добавить 0 — ничего не изменить. Пришлите число, отличное от 0, например 5 или -2.
admin-stock-below-zero = На складе нет столько, чтобы списать. Пришлите число поменьше.
admin-category-gone = Этой категории больше нет. Выберите, пожалуйста, другую.
admin-photo-document = Это пришло файлом. Пришлите картинку как фото (в Telegram: прикрепите как фото, а не как файл).
admin-photo-send = Пришлите, пожалуйста, фото или нажмите «Пропустить».
admin-photo-too-big = Это фото больше 20 МБ — столько бот не может скачать из Telegram. Пришлите, пожалуйста, фото поменьше.
admin-photo-too-large = Это фото больше 5 МБ — каталог такие не хранит. Пришлите, пожалуйста, фото поменьше.
admin-photo-unsupported = Каталог принимает только картинки JPEG, PNG и WebP. Пришлите, пожалуйста, другое фото.
admin-photo-unreadable = Каталог не смог прочитать эту картинку. Пришлите, пожалуйста, другое фото.
admin-photo-unavailable = Не получилось скачать это фото из Telegram. Пришлите его, пожалуйста, ещё раз.
admin-save-down = 😕 Сейчас { $service } не отвечает, поэтому пока ничего не сохранено. Попробуйте ещё раз чуть позже.
admin-save-refused = 😕 Каталог это не принял. Начните, пожалуйста, заново с /admin.
admin-create-refused = 😕 Каталог не принял этот товар, ничего не сохранено. Начните, пожалуйста, заново с /admin.

# Merchant: orders (/admin → Orders) and statistics (/stats)
admin-menu-orders = 📦 Заказы
admin-menu-stats = 📊 Статистика
admin-tab-paid = 📦 К отправке
admin-tab-awaiting_payment = 💳 Ждут оплаты
admin-tab-shipped = 🚚 Отправлены
admin-tab-delivered = 📬 Доставлены
admin-tab-cancelled = ✖️ Отменены
admin-orders-title = { $tab }: всего { $total }, сначала новые. Время — UTC.
admin-orders-empty = { $tab }: заказов нет.
admin-order-title = 📦 Заказ №{ $number } — { $status }
admin-order-placed = Оформлен { $at } UTC
admin-order-delivery =
    🚚 Куда доставить:
    { $name }
    { $phone }
    { $address }
admin-order-no-delivery = 🚚 Данные доставки не указаны.
admin-order-tracking = 📝 Для отслеживания: { $note }
admin-order-cancelled = ✖️ Отменён { $reason }.
admin-order-cancel-note = Причина: { $note }
admin-order-refunded = 💸 Он был оплачен, поэтому оплата возвращается покупателю.
admin-order-history = 🕓 История (UTC):
admin-order-history-line = { $at } — { $status }
admin-cancel-reason-out_of_stock = из-за нехватки товара
admin-cancel-reason-expired = так как не оплачен вовремя
admin-cancel-reason-buyer = покупателем
admin-cancel-reason-merchant = магазином
admin-btn-ship = 🚚 Отправить
admin-btn-deliver = 📬 Доставлен
admin-btn-cancel = ✖️ Отменить заказ
admin-btn-open-order = 📦 Открыть заказ
admin-btn-no-tracking = ⏭ Отправить без пометки
admin-btn-no-reason = ⏭ Отменить без причины
admin-btn-keep-order = ↩️ Не отменять
admin-btn-refresh = 🔄 Обновить
admin-ask-tracking = 🚚 Отправляем заказ №{ $number }. Пометка для покупателя (служба доставки, трек-номер)? Пришлите её или отправьте без пометки. (/cancel — прервать)
admin-ask-cancel = ✖️ Отменяем заказ №{ $number }. Почему? Покупатель увидит причину. Пришлите её или отмените без причины. (/cancel — прервать)
admin-ask-cancel-paid = ✖️ Отменяем заказ №{ $number }: он оплачен, поэтому оплата вернётся покупателю. Почему? Покупатель увидит причину. Пришлите её или отмените без причины. (/cancel — прервать)
admin-done-ship = ✅ Заказ №{ $number } отправлен, покупатель уведомлён.
admin-done-deliver = ✅ Заказ №{ $number } доставлен.
admin-done-cancel = ✅ Заказ №{ $number } отменён, покупатель уведомлён.
admin-order-kept = Заказ №{ $number } остался как был.
admin-refused-ship =
    { $status ->
        [shipped] Заказ №{ $number } уже отправлен.
        [delivered] Заказ №{ $number } уже доставлен.
        [cancelled] Заказ №{ $number } отменён — его нельзя отправить.
        [payment_failed] Заказ №{ $number } так и не оплачен — его нельзя отправить.
       *[other] Заказ №{ $number } ещё не оплачен — его нельзя отправить.
    }
admin-refused-deliver =
    { $status ->
        [delivered] Заказ №{ $number } уже доставлен.
        [cancelled] Заказ №{ $number } отменён — его нельзя отметить доставленным.
       *[other] Заказ №{ $number } ещё не отправлен — сначала отправьте его.
    }
admin-refused-cancel =
    { $status ->
        [cancelled] Заказ №{ $number } уже отменён.
        [payment_failed] Заказ №{ $number } так и не оплачен — отменять нечего.
       *[other] Заказ №{ $number } доставлен — его больше нельзя отменить.
    }
admin-order-refused = 😕 Сервис заказов этого не принял. Откройте заказ ещё раз.
admin-stats-title = 📊 Статистика магазина. Дни считаются по { $timeZone }, по времени оформления заказа; выручка — то, что принесли оплаченные заказы (без возвращённых).
admin-stats-today = Сегодня
admin-stats-last7Days = За 7 дней
admin-stats-last30Days = За 30 дней
admin-stats-orders = Заказов: { $orders }, оплачено: { $paid }
admin-stats-revenue = Выручка: { $revenue }
admin-stats-revenue-none = нет
admin-stats-buyers = Покупателей: { $buyers }, новых: { $newBuyers }
admin-stats-by-status = По статусам: { $statuses }
admin-stats-top-title = 🏆 Лучшие товары за 30 дней
admin-stats-top-units = По числу проданных:
admin-stats-top-revenue = По выручке:
admin-stats-top-line = { $rank }. { $name } — { $units } шт., { $revenue }
admin-stats-top-none = За 30 дней ничего не оплачено.

# Рассылки (администраторы)
announce-ask = 📣 Напишите объявление или пришлите фото с подписью. Каждый покупатель, у которого есть чат с магазином, получит его один раз — ровно так, как вы напишете. /cancel — отменить.
announce-confirm = ☝️ Так объявление увидят покупатели. Отправить его всем?
btn-announce-send = 📣 Отправить
btn-announce-cancel = ✖️ Отмена
announce-use-buttons = Нажмите «Отправить» или «Отмена» под предпросмотром, или /cancel.
announce-cancelled = ✖️ Рассылка отменена: ничего не отправлено.
announce-sending =
    { $total ->
        [one] 📣 Отправляю { $total } покупателю. Ход рассылки — ниже.
        [few] 📣 Отправляю { $total } покупателям. Ход рассылки — ниже.
       *[other] 📣 Отправляю { $total } покупателям. Ход рассылки — ниже.
    }

# Оплата (pre-checkout в Telegram: почему оплата отклонена; тогда ничего не списано)
pre-checkout-not_found = Этот счёт не относится к вашим заказам. Деньги не списаны.
pre-checkout-not_ready = Заказ ещё готовится. Деньги не списаны: попробуйте оплатить снова через несколько секунд.
pre-checkout-cancelled = Этот заказ отменён, его больше нельзя оплатить. Деньги не списаны.
pre-checkout-expired = Время на оплату заказа вышло, товары больше не зарезервированы. Деньги не списаны: оформите заказ заново.
pre-checkout-already_paid = Этот заказ уже оплачен. Больше ничего не списано.
pre-checkout-price_changed = Счёт больше не совпадает с суммой заказа. Деньги не списаны: оформите заказ заново.
pre-checkout-unknown_currency = Магазин не принимает оплату в этой валюте. Деньги не списаны.
pre-checkout-unavailable = Магазин сейчас не может подтвердить заказ. Деньги не списаны: попробуйте ещё раз через минуту.

# Заказать снова (под сообщением о том, что счёт истёк)
reorder-not-yours = Это не ваш заказ, поэтому в корзину ничего не добавлено.
reorder-done =
    { $count ->
        [one] 🛒 { $count } товар из заказа №{ $number } снова в корзине.
        [few] 🛒 { $count } товара из заказа №{ $number } снова в корзине.
       *[other] 🛒 { $count } товаров из заказа №{ $number } снова в корзине.
    }
reorder-some-gone = Некоторые товары из заказа №{ $number } больше не продаются: { $names }.
reorder-nothing = Ни один товар из заказа №{ $number } больше не продаётся, поэтому в корзину ничего не добавлено.

# Магазин: возвраты (/admin → Возвраты)
admin-menu-refunds = 💸 Возвраты
admin-refunds-title = 💸 Нужно вернуть: { $total }. Верните каждый платёж в кабинете платёжного провайдера (Telegram сам их не возвращает), затем отметьте возврат здесь.
admin-refunds-empty = 💸 Возвращать нечего: все платежи, которые нужно было вернуть, возвращены.
admin-refunds-more = …и ещё { $count }: они появятся, когда вы отметите эти.
admin-refund-line = { $n }. Заказ №{ $order } — { $amount }, { $method }
admin-refund-line-no-order = { $n }. Без заказа (платёж, который магазин не запрашивал) — { $amount }, { $method }
admin-refund-provider-charge = Платёж у провайдера: { $id }
admin-refund-telegram-charge = Платёж в Telegram: { $id }
admin-refund-method-telegram = оплата через провайдера
admin-refund-method-stars = оплата звёздами
admin-refund-method-simulated = тестовая оплата
admin-btn-mark-refunded = ✅ Заказ №{ $order } возвращён
admin-btn-mark-refunded-no-order = ✅ Платёж { $n } возвращён
admin-refund-refunded = ✅ Возврат отмечен.
admin-refund-not-owed = Этот платёж (уже) не ждёт возврата: ничего не изменилось.
admin-refund-gone = Такой платёж не найден.
admin-refund-refused = 😕 Платёжный сервис этого не принял. Откройте возвраты ещё раз.
admin-refund-confirm = Отметить заказ №{ $order } возвращённым? Только если вы вернули { $amount } в кабинете провайдера (платёж у провайдера { $charge }): покупателю сразу придёт сообщение, и отменить это нельзя.
admin-refund-confirm-no-order = Отметить этот платёж без заказа возвращённым? Только если вы вернули { $amount } в кабинете провайдера (платёж у провайдера { $charge }): покупателю сразу придёт сообщение, и отменить это нельзя.
admin-btn-confirm-refunded = ✅ Да, я вернул деньги
