# Menus and buttons
menu-catalog = 🛍 Catalog
menu-orders = 📦 My orders
menu-help = ❓ Help
btn-register = 📝 Register
btn-login = 🔑 Log in
btn-logout = 🚪 Log out
btn-back = ⬅️ Back
btn-prev = ◀️ Previous
btn-next = Next ▶️
btn-order = 🛒 Order
btn-continue = ✅ Continue
btn-confirm = ✅ Confirm
btn-cancel = ✖️ Cancel
btn-retry = 🔄 Try again
btn-open-private-chat = 💬 Open the private chat

# Commands (the menu Telegram shows next to the input field)
cmd-start = Main menu
cmd-register = Create an account
cmd-login = Log in
cmd-logout = Log out
cmd-catalog = Browse the catalog
cmd-orders = My orders
cmd-help = What I can do
cmd-cancel = Stop what we are doing

# Start, help, cancel
start-guest = 👋 Welcome to the shop! Register or log in to place orders; the catalog is open to everyone.
start-member = 👋 Welcome back, { $email }! What would you like to do?
help =
    I am the shop's bot. Here is what I can do:
    /catalog — browse products by category
    /orders — your orders and their payment status
    /register — create an account
    /login — log in to an existing account
    /logout — log out
    /cancel — stop whatever we are doing
    Or just type what you are looking for, and I will search the catalog.
nothing-to-cancel = There is nothing to cancel. /help lists what I can do.
cancelled = Cancelled. What next?
left-conversation =
    { $activity ->
        [checkout] 🛒 I stopped the checkout: nothing was ordered.
        [login] I stopped the login.
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
logout-done = 👋 You are logged out. See you soon!
logout-not-signed-in = You are not logged in.
session-expired = 🔒 Your session has expired. Please log in again.
login-to-order = Please log in or register to place an order.
login-to-see-orders = Please log in to see your orders.

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

# Checkout
checkout-quantity =
    { $name } — { $price }
    In stock: { $stock }
    How many? Use ➖ ➕ or type a number. Quantity: { $quantity }
quantity-not-number = Please send the quantity as a whole number, like 2.
quantity-min = The quantity must be at least 1.
quantity-max = Only { $stock } in stock: please choose at most { $stock }.
quantity-send-number = Please type the quantity as a number or use the buttons.
checkout-summary =
    Your order:
    { $name } × { $quantity } ({ $price } each)
    Total: { $total }
    Confirm?
checkout-use-buttons = Please use Confirm or Cancel above, or /cancel.
checkout-quantity-chosen =
    { $name } — { $price }
    Quantity: { $quantity }
checkout-price-changed = ⚠️ The price has changed from { $old } to { $new } each. Nothing was ordered yet: please check the new total.
checkout-confirm-new-total = The price has changed: please check the new total and confirm again.
checkout-cancelled = Checkout cancelled: nothing was ordered.
checkout-finished = This checkout is already finished.
order-placed = ✅ Order #{ $number } placed, total { $total }. I am reserving the items, then the payment is taken; I will message you as soon as it is paid, or if it cannot be.
order-service-down = 😕 The order service is not answering right now. Tap Confirm again to retry: you will not be charged twice.
order-out-of-stock = Sorry, there is not enough stock left for this order.
order-rejected = The order service did not accept this order. Please start again from the catalog.

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
status-cancelled = ✖️ cancelled
status-payment_failed = ❌ payment failed
order-cancel-reason = Cancelled: { $reason }
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
