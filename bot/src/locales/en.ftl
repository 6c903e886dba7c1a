# Menus and buttons
menu-catalog = 🛍 Catalog
menu-orders = 📦 My orders
menu-cart = 🛒 Cart
menu-help = ❓ Help
btn-register = 📝 Register
btn-login = 🔑 Log in
btn-logout = 🚪 Log out
btn-back = ⬅️ Back
btn-prev = ◀️ Previous
btn-next = Next ▶️
btn-add-to-cart = 🛒 Add to cart
btn-buy-now = ⚡ Buy now
btn-checkout = ✅ Checkout
btn-clear-cart = 🧹 Clear
btn-change-delivery = ✏️ Change delivery details
btn-share-phone = 📱 Share my phone number
btn-confirm = ✅ Confirm
btn-cancel = ✖️ Cancel
btn-retry = 🔄 Try again
btn-open-private-chat = 💬 Open the private chat
btn-open-in-shop = 🌐 Open in shop
# The menu button beside the message field: it opens the storefront as a Mini App.
menu-button-shop = Shop

# Commands (the menu Telegram shows next to the input field)
cmd-start = Main menu
cmd-register = Create an e-mail account (optional)
cmd-login = Log in to your e-mail account
cmd-logout = Log out
cmd-catalog = Browse the catalog
cmd-cart = Your cart
cmd-orders = My orders
cmd-help = What I can do
cmd-cancel = Stop what we are doing

# Start, help, cancel
start-guest = 👋 Welcome to the shop! Browse the catalog and order right here: your Telegram account is all you need, no registration. To use the shop outside Telegram too, create an e-mail account with /register, or /login to the one you have.
start-member = 👋 Welcome back, { $email }! What would you like to do?
help =
    I am the shop's bot. Here is what I can do:
    /catalog — browse products by category
    /cart — your cart
    /orders — your orders and their payment status
    /register — create an e-mail account, to use the shop outside Telegram too (optional)
    /login — log in to your e-mail account
    /logout — log out (your next order signs you in again with your Telegram account)
    /cancel — stop whatever we are doing
    Or just type what you are looking for, and I will search the catalog.
    You need no account to order: your Telegram account is enough.
nothing-to-cancel = There is nothing to cancel. /help lists what I can do.
cancelled = Cancelled. What next?
left-conversation =
    { $activity ->
        [checkout] 🛒 I stopped the checkout: nothing was ordered.
        [login] I stopped the login.
        [adminNewProduct] I stopped the new product: what was not saved yet is not saved.
        [adminEditProduct] I stopped the edit: the product stays as it was.
        [adminNewCategory] I stopped the new category: nothing was created.
        [adminRenameCategory] I stopped the rename: the category stays as it was.
        [adminShipOrder] I stopped shipping: the order stays as it was.
        [adminCancelOrder] I stopped the cancellation: the order stays as it was.
        [announce] 📣 I stopped the announcement: nothing was sent.
       *[register] I stopped the registration.
    }
unknown-command = I do not know that command. /help lists the ones I do.
send-text-or-command = I understand text and commands. Type what you are looking for, or see /help.
button-inactive = This button belongs to an older message and no longer works.
error-generic = 😕 Something went wrong on our side. Please try again.

# Services
service-auth = account service
service-catalog = catalog
service-order = order service
service-payment = payment service
service-notification = notification service
service-down = 😕 The { $service } is not answering right now. Please try again in a moment.
service-down-short = The { $service } is not answering right now.

# Registration and login
register-ask-email = Let's create your account. What is your e-mail? (/cancel to stop)
login-ask-email = Let's log you in. What is your e-mail? (/cancel to stop)
email-invalid = That does not look like an e-mail address. Please send one like anna@example.com.
send-text = Please send that as a text message.
register-ask-password = Now choose a password of at least 8 characters. I will delete your message as soon as I have read it.
login-ask-password = Your password? I will delete your message as soon as I have read it.
password-too-short = That password is too short: it needs at least 8 characters. Please send another one.
password-too-long = That password is too long: at most 72 bytes, which is 72 Latin or 36 Cyrillic letters. Please send a shorter one.
password-rejected = The account service did not accept that password. Please send another one.
auth-down-retry = 😕 The account service is not answering right now. Send the password again in a moment to retry, or /cancel.
register-email-taken = An account with { $email } already exists. Log in instead?
login-wrong = Wrong e-mail or password. Send the password again, or /login to start over with another e-mail.
login-locked = Too many failed attempts. Please try again in { $seconds } seconds.
login-still-locked = 🔒 Still locked after too many failed attempts: I deleted your message without trying it. Please send the password again in { $seconds } seconds, or /cancel.
after-password-deleted = 🔒 I deleted that message without searching for it: it came right after a password step, so it may be a password. To search the catalog, send it again in a minute.
telegram-linked-elsewhere = This Telegram account is already linked to another shop account. Please log in with that one.
account-linked-elsewhere = That shop account is already linked to another Telegram account.
signed-in = ✅ You are signed in as { $email }.
already-signed-in = You are already signed in as { $email }. /logout first to use another account.
logout-done = 👋 You are logged out. Your next order or /orders signs you in again with your Telegram account, and your orders are still there.
logout-done-email = 👋 You are logged out of { $email }. This Telegram account stays linked to it: your next order or /orders signs you in to it again.
logout-not-signed-in = You are not logged in. You can still order: your Telegram account is enough.
email-account-note = ℹ️ So far you shop with your Telegram account alone. Once you sign in to an e-mail account here, this chat uses that account: orders placed so far stay with the Telegram account (I still tell you about them here), and /orders shows the e-mail account's orders.
sign-in-refused = 🔒 I could not sign you in just now. Please try again in a moment.

# Catalog
catalog-title = 🛍 Choose a category:
catalog-empty = The catalog is empty for now.
products-title = 🛍 Products
category-empty = There are no products in this category yet.
category-gone = That category no longer exists.
page-of = Page { $page } of { $pages }
page-gone = That page no longer exists; here is the last one.
product-price = Price: { $price }
product-stock = In stock: { $stock }
product-out-of-stock = Out of stock
product-gone = That product is no longer available.
search-title = 🔎 Found { $total } for “{ $query }”:
search-nothing = 🔎 Nothing found for “{ $query }”. Try another word or browse the catalog.

# Quantities (product card and cart)
quantity-min = The quantity must be at least 1.
quantity-max = Only { $stock } in stock: please choose at most { $stock }.
quantity-limit = At most { $max } of one product per order.

# Cart
cart-title = 🛒 Your cart:
cart-empty = 🛒 Your cart is empty. Add products from the catalog.
cart-line = { $n }. { $name } × { $quantity } — { $total }
cart-line-short = { $n }. { $name } × { $quantity } — ⚠️ only { $stock } in stock
cart-line-gone = { $n }. { $name } — ❌ no longer sold
cart-total = Total: { $total }
cart-fix-unavailable = Remove the marked products or lower their quantity to check out.
cart-has-unavailable = Some products in your cart cannot be bought as they are: remove them or lower their quantity, then check out.
cart-added = 🛒 Added { $quantity } × { $name }. In your cart: { $inCart }.
cart-line-limit = At most { $max } of one product fit in the cart, and you have { $inCart } there already.
cart-over-stock = Only { $stock } in stock, and you have { $inCart } in your cart already.
cart-full = Your cart holds at most { $max } different products: remove one or check out first.
cart-use-remove = The quantity must be at least 1: 🗑 removes the product.
cart-cleared = Your cart is empty now.

# Checkout
delivery-ask-name = 🚚 Where should we deliver your order? First, the recipient's name. (/cancel to stop)
delivery-ask-phone = 📱 A phone number for the courier: press the button below to share yours, or type it, like +7 999 123-45-67.
delivery-ask-address = 🏠 And the delivery address: city, street, house, flat?
delivery-name-invalid = Please send a name of 1 to 100 characters.
delivery-phone-invalid = That does not look like a phone number. Type it with 7 to 15 digits, like +7 999 123-45-67, or press the button below to share yours.
delivery-contact-not-yours = That is someone else's contact. Please share your own number with the button below, or type the number.
delivery-address-invalid = Please send an address of 1 to 500 characters.
checkout-summary =
    Your order:
    { $lines }
    Deliver to: { $name }, { $phone }
    { $address }
    Total: { $total }
    Confirm?
checkout-summary-line = • { $name } × { $quantity } ({ $price } each) — { $total }
checkout-use-buttons = Please use Confirm or Cancel above, or /cancel.
checkout-prices-changed = ⚠️ Prices have changed: { $changes }. Nothing was ordered yet: please check the new total.
checkout-price-change = { $name } { $old } → { $new }
checkout-total-changed = ⚠️ Your order now totals { $total }. Nothing was ordered yet: please check it.
checkout-confirm-new-total = The price has changed: please check the new total and confirm again.
checkout-cancelled = Checkout cancelled: nothing was ordered.
checkout-finished = This checkout is already finished.
order-placed = ✅ Order #{ $number } placed, total { $total }. I am reserving the items now. If the shop takes payment in Telegram, an invoice with a Pay button follows in this chat; otherwise the payment is taken at once. I will message you as soon as the order is paid, or if it cannot be.
order-service-down = 😕 The order service is not answering right now. Tap Confirm again to retry: you will not be charged twice.
order-out-of-stock = Sorry, there is not enough stock left for this order.
order-rejected = The order service did not accept this order. Please start again from the catalog.
order-product-gone = { $names }: no longer sold, so nothing was ordered. Remove it from your cart (/cart) and check out again.
order-cart-empty = Your cart is empty: nothing was ordered.
order-cart-changed = Your cart changed meanwhile, so nothing was ordered. Check it in /cart and check out again.

# Orders
orders-title = 📦 Your orders, newest first:
orders-empty = You have no orders yet.
order-gone = That order was not found.
order-title = Order #{ $number } — { $status }
order-item = • { $name } × { $quantity } — { $total }
order-total = Total: { $total }
order-payment = Payment: { $payment }
status-pending = ⏳ reserving items
status-awaiting_payment = 💳 awaiting payment
status-paid = ✅ paid
status-shipped = 🚚 shipped
status-delivered = 📦 delivered
status-cancelled = ✖️ cancelled
status-payment_failed = ❌ payment failed
order-cancel-reason = Cancelled: { $reason }
order-cancel-note = The shop's note: { $note }
order-tracking = Tracking: { $note }
cancel-reason-out_of_stock = not enough in stock
cancel-reason-expired = not paid in time
cancel-reason-buyer = by you
cancel-reason-merchant = by the shop
order-held =
    { $minutes ->
        [one] Items held for you for 1 more minute.
       *[other] Items held for you for { $minutes } more minutes.
    }
btn-cancel-order = ✖️ Cancel order
order-cancelled-now = Order #{ $number } is cancelled.
order-not-cancellable = This order can no longer be cancelled.
payment-pending = in progress
payment-succeeded = succeeded
payment-failed = failed
payment-refunded = refunded
payment-refund_pending = refund in progress
payment-none = not started yet
payment-unknown = unknown right now (payment service not answering)

# Groups and channels
private-only = 🔒 I serve the shop only in a private chat, so that your orders and your sign-in stay yours. Open a chat with me: { $link }
private-only-alert = 🔒 The shop works only in a private chat with me: { $link }
not-your-button = This button belongs to someone else's chat.

# Merchant: the menu (/admin) and the catalog
admin-menu = 🛠 Shop management. What would you like to manage?
admin-menu-catalog = 🗂 Catalog
admin-menu-announce = 📣 Announcement
admin-catalog = 🗂 Categories, in the order buyers see them (🙈: hidden from buyers). Choose one to manage it and its products:
admin-catalog-empty = 🗂 The catalog has no categories yet. Start with a new category.
admin-btn-new-category = ➕ New category
admin-btn-new-product = ➕ New product
admin-btn-name-en = ✏️ Name (English)
admin-btn-name-ru = ✏️ Name (Russian)
admin-btn-description-en = ✏️ Description (English)
admin-btn-description-ru = ✏️ Description (Russian)
admin-btn-price = 💰 Price
admin-btn-category = 🗂 Category
admin-btn-stock-set = 📦 Set stock
admin-btn-stock-add = ➕ Add stock
admin-btn-photo = 🖼 Photo
admin-btn-up = ⬆️ Up
admin-btn-down = ⬇️ Down
admin-btn-hide = 🙈 Hide
admin-btn-show = 👁 Show
admin-btn-skip = ⏭ Skip
admin-btn-clear = 🧹 Leave it empty
admin-btn-open-product = 🛠 Open the product
admin-btn-open-category = 🗂 Open the category
admin-category-title = 🗂 { $en } / { $ru }
admin-category-empty = No products in this category yet.
admin-hidden = 🙈 Hidden from buyers
admin-visible = 👁 Buyers see it
admin-now-hidden = 🙈 Hidden from buyers now.
admin-now-visible = 👁 Buyers see it now.
admin-product-title = 🛠 Product #{ $id }
admin-none = —
admin-field-nameEn = Name (English)
admin-field-nameRu = Name (Russian)
admin-field-descriptionEn = Description (English)
admin-field-descriptionRu = Description (Russian)
admin-field-price = Price
admin-field-stock = In stock
admin-field-category = Category
admin-field-photo = Photo
admin-photo-yes = yes
admin-photo-no = none yet

# Merchant: forms
admin-need-category = There is no category yet: create one first (/admin → 🗂 Catalog → ➕ New category).
admin-ask-category = ➕ New product. Which category is it in? (/cancel to stop)
admin-ask-name-en = Its name in English?
admin-ask-name-ru = Its name in Russian?
admin-ask-description-en = Its description in English? (or Skip)
admin-ask-description-ru = Its description in Russian? (or Skip)
admin-ask-price = Its price in { $currency }, like 12.50?
admin-ask-stock = How many are in stock? A whole number, like 10.
admin-ask-photo = ✅ Product #{ $id } is saved, and buyers see it. Last step: send its photo (as a photo, not as a file), or Skip.
admin-ask-photo-edit = Send the new photo (as a photo, not as a file), or /cancel to keep the one it has.
admin-ask-edit =
    { $field } now: { $current }
    Send the new one, or /cancel to keep it.
admin-ask-stock-add = In stock now: { $current }. How many to add? A whole number, like 5 (or -2 to take 2 away).
admin-ask-category-en = ➕ New category. Its name in English? (/cancel to stop)
admin-ask-category-ru = Its name in Russian?
admin-product-created = ✅ Product #{ $id } is ready.
admin-category-created = ✅ Category “{ $name }” is created; it comes last in the catalog.
admin-saved = ✅ Saved.
admin-send-text = Please send that as a text message.
admin-use-buttons = Please choose with the buttons above, or /cancel.
admin-text-too-long = That is { $length } characters long: at most { $max } fit. Please send a shorter one.
admin-text-empty = That is empty. Please send some text.
admin-text-invalid = That text cannot be stored. Please send another one.
admin-price-invalid = That is not a price. Please send a number, like 12.50.
admin-price-negative = A price must be more than zero. Please send one, like 12.50.
admin-price-precision =
    { $digits ->
        [0] This currency has no cents: please send a whole number, like 12.
        [one] A price has at most 1 digit after the point. Please send one like 12.5.
       *[other] A price has at most { $digits } digits after the point. Please send one like 12.50.
    }
admin-price-too-large = That price is too high. Please send a smaller one.
admin-stock-invalid = That is not a number. Please send a whole number, like 10.
admin-stock-negative = Stock cannot be negative. Please send 0 or more, like 10.
admin-stock-too-large = That is too many. Please send a smaller number.
admin-stock-change-zero = Adding 0 changes nothing. Please send a number other than 0, like 5 or -2.
admin-stock-below-zero = There are not that many in stock to take away. Please send a smaller number.
admin-category-gone = That category no longer exists. Please choose another one.
admin-photo-document = That came as a file. Please send the picture as a photo (in Telegram: attach it as a photo, not as a file).
admin-photo-send = Please send a photo, or Skip.
admin-photo-too-big = That photo is over 20 MB, more than Telegram lets a bot download. Please send a smaller one.
admin-photo-too-large = That photo is over 5 MB, more than the catalog stores. Please send a smaller one.
admin-photo-unsupported = The catalog takes JPEG, PNG or WebP pictures only. Please send another photo.
admin-photo-unreadable = The catalog could not read that picture. Please send another photo.
admin-photo-unavailable = I could not fetch that photo from Telegram. Please send it again.
admin-save-down = 😕 The { $service } is not answering right now, so nothing is saved yet. Try again in a moment.
admin-save-refused = 😕 The catalog did not accept that. Please start again from /admin.
admin-create-refused = 😕 The catalog did not accept this product, so nothing was saved. Please start again from /admin.

# Merchant: orders (/admin → Orders) and statistics (/stats)
admin-menu-orders = 📦 Orders
admin-menu-stats = 📊 Statistics
admin-tab-paid = 📦 To ship
admin-tab-awaiting_payment = 💳 Awaiting payment
admin-tab-shipped = 🚚 Shipped
admin-tab-delivered = 📬 Delivered
admin-tab-cancelled = ✖️ Cancelled
admin-orders-title = { $tab }: { $total } in all, newest first. Times are UTC.
admin-orders-empty = { $tab }: no orders.
admin-order-title = 📦 Order #{ $number } — { $status }
admin-order-placed = Placed { $at } UTC
admin-order-delivery =
    🚚 Deliver to:
    { $name }
    { $phone }
    { $address }
admin-order-no-delivery = 🚚 No delivery details were given.
admin-order-tracking = 📝 Tracking note: { $note }
admin-order-cancelled = ✖️ Cancelled { $reason }.
admin-order-cancel-note = Reason given: { $note }
admin-order-refunded = 💸 It had been paid, so the buyer's payment is refunded.
admin-order-history = 🕓 History (UTC):
admin-order-history-line = { $at } — { $status }
admin-cancel-reason-out_of_stock = for lack of stock
admin-cancel-reason-expired = as it was not paid in time
admin-cancel-reason-buyer = by the buyer
admin-cancel-reason-merchant = by the shop
admin-btn-ship = 🚚 Ship
admin-btn-deliver = 📬 Delivered
admin-btn-cancel = ✖️ Cancel order
admin-btn-open-order = 📦 Open the order
admin-btn-no-tracking = ⏭ Ship without a note
admin-btn-no-reason = ⏭ Cancel without a reason
admin-btn-keep-order = ↩️ Keep the order
admin-btn-refresh = 🔄 Refresh
admin-ask-tracking = 🚚 Shipping order #{ $number }. A tracking note for the buyer (carrier, tracking number)? Send it, or ship without one. (/cancel to stop)
admin-ask-cancel = ✖️ Cancelling order #{ $number }. Why? The buyer will read your reason. Send it, or cancel without one. (/cancel to stop)
admin-ask-cancel-paid = ✖️ Cancelling order #{ $number }: it is paid, so the buyer's payment will be refunded. Why? The buyer will read your reason. Send it, or cancel without one. (/cancel to stop)
admin-done-ship = ✅ Order #{ $number } is shipped; the buyer is told.
admin-done-deliver = ✅ Order #{ $number } is delivered.
admin-done-cancel = ✅ Order #{ $number } is cancelled; the buyer is told.
admin-order-kept = Order #{ $number } stays as it was.
admin-refused-ship =
    { $status ->
        [shipped] Order #{ $number } is already shipped.
        [delivered] Order #{ $number } is already delivered.
        [cancelled] Order #{ $number } is cancelled: it cannot be shipped.
        [payment_failed] Order #{ $number } was never paid: it cannot be shipped.
       *[other] Order #{ $number } is not paid yet: it cannot be shipped.
    }
admin-refused-deliver =
    { $status ->
        [delivered] Order #{ $number } is already delivered.
        [cancelled] Order #{ $number } is cancelled: it cannot be delivered.
       *[other] Order #{ $number } is not shipped yet: ship it first.
    }
admin-refused-cancel =
    { $status ->
        [cancelled] Order #{ $number } is already cancelled.
        [payment_failed] Order #{ $number } was never paid: there is nothing to cancel.
       *[other] Order #{ $number } is delivered: it can no longer be cancelled.
    }
admin-order-refused = 😕 The order service did not accept that. Please open the order again.
admin-stats-title = 📊 Shop statistics. Days are counted in { $timeZone }, by when an order was placed; revenue is what paid orders brought in (refunded ones not).
admin-stats-today = Today
admin-stats-last7Days = Last 7 days
admin-stats-last30Days = Last 30 days
admin-stats-orders = Orders: { $orders }, paid: { $paid }
admin-stats-revenue = Revenue: { $revenue }
admin-stats-revenue-none = none
admin-stats-buyers = Buyers: { $buyers }, new: { $newBuyers }
admin-stats-by-status = By status: { $statuses }
admin-stats-top-title = 🏆 Top products, last 30 days
admin-stats-top-units = By units sold:
admin-stats-top-revenue = By revenue:
admin-stats-top-line =
    { $units ->
        [one] { $rank }. { $name } — 1 pc, { $revenue }
       *[other] { $rank }. { $name } — { $units } pcs, { $revenue }
    }
admin-stats-top-none = Nothing paid for in the last 30 days.

# Announcements (admins)
announce-ask = 📣 Write the announcement, or send a photo with a caption. Every buyer who has a chat with the shop gets it once, exactly as you write it. /cancel stops.
announce-confirm = ☝️ This is what buyers will see. Send it to every buyer?
btn-announce-send = 📣 Send
btn-announce-cancel = ✖️ Cancel
announce-use-buttons = Tap Send or Cancel under the preview, or /cancel.
announce-cancelled = ✖️ Announcement cancelled: nothing was sent.
announce-sending =
    { $total ->
        [one] 📣 Sending to 1 buyer. The progress follows below.
       *[other] 📣 Sending to { $total } buyers. The progress follows below.
    }

# Payments (Telegram's pre-checkout: why a payment is refused; nothing is charged then)
pre-checkout-not_found = This invoice does not belong to an order of yours. Nothing was charged.
pre-checkout-not_ready = Your order is still being prepared. Nothing was charged: please try to pay again in a few seconds.
pre-checkout-cancelled = This order is cancelled, so it can no longer be paid. Nothing was charged.
pre-checkout-expired = The time to pay this order has run out and its items are released. Nothing was charged: please order again.
pre-checkout-already_paid = This order is already paid. Nothing more was charged.
pre-checkout-price_changed = This invoice no longer matches the order's total. Nothing was charged: please order again.
pre-checkout-unknown_currency = The shop does not take payments in this currency. Nothing was charged.
pre-checkout-unavailable = The shop cannot confirm your order right now. Nothing was charged: please try again in a minute.

# Order again (under the message that an invoice expired)
reorder-not-yours = That order is not one of yours, so nothing was added to your cart.
reorder-done =
    { $count ->
        [one] 🛒 1 product of order #{ $number } is back in your cart.
       *[other] 🛒 { $count } products of order #{ $number } are back in your cart.
    }
reorder-some-gone = Some products of order #{ $number } are no longer sold: { $names }.
reorder-nothing = None of the products of order #{ $number } are sold any more, so nothing was added to your cart.

# Merchant: refunds to make (/admin → Refunds)
admin-menu-refunds = 💸 Refunds to make
admin-refunds-title = 💸 Refunds to make: { $total }. Refund each payment in your payment provider's dashboard (Telegram cannot refund it for you), then mark it refunded here.
admin-refunds-empty = 💸 No refunds to make: every payment that had to go back is refunded.
admin-refunds-more = …and { $count } more: they show up as you mark these.
admin-refund-line = { $n }. Order #{ $order } — { $amount }, { $method }
admin-refund-line-no-order = { $n }. No order (a payment the shop did not ask for) — { $amount }, { $method }
admin-refund-provider-charge = Provider charge: { $id }
admin-refund-telegram-charge = Telegram charge: { $id }
admin-refund-method-telegram = paid through the provider
admin-refund-method-stars = paid in Stars
admin-refund-method-simulated = simulated payment
admin-btn-mark-refunded = ✅ Order #{ $order } refunded
admin-btn-mark-refunded-no-order = ✅ Payment { $n } refunded
admin-refund-refunded = ✅ Marked refunded.
admin-refund-not-owed = That payment is not awaiting a refund (any more): nothing changed.
admin-refund-gone = That payment was not found.
admin-refund-refused = 😕 The payment service did not accept that. Please open the refunds again.
admin-refund-confirm = Mark order #{ $order } refunded? Only if you refunded { $amount } in the provider's dashboard (provider charge { $charge }): the buyer is told at once, and this cannot be undone.
admin-refund-confirm-no-order = Mark this payment for no order refunded? Only if you refunded { $amount } in the provider's dashboard (provider charge { $charge }): the buyer is told at once, and this cannot be undone.
admin-btn-confirm-refunded = ✅ Yes, I refunded it
