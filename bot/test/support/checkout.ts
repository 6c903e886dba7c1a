import type { Chat } from './chat.ts';
import { checkoutTagOf, isConfirm } from './buttons.ts';

/** Delivery details as a buyer types them. */
export const DELIVERY = {
  name: 'Anna Petrova',
  phone: '+7 (999) 123-45-67',
  address: 'Nevsky prospekt 1, flat 2',
};

/** The summary's delivery lines for `delivery`, in English. */
export const deliveredTo = (delivery = DELIVERY) =>
  `Deliver to: ${delivery.name}, ${delivery.phone}\n${delivery.address}`;

/** Answers the three delivery questions by typing; returns the calls of the last answer (the summary). */
export async function typeDelivery(anna: Chat, delivery = DELIVERY) {
  await anna.send(delivery.name);
  await anna.send(delivery.phone);
  return anna.send(delivery.address);
}

/** The tag of the checkout whose summary was shown last. */
export const tagOf = (anna: Chat) =>
  checkoutTagOf(anna.lastButtons().find((b) => isConfirm(b.callback_data))?.callback_data);

/** The data of the Confirm button under the latest summary. */
export const confirmOf = (anna: Chat) => {
  const confirm = anna.lastButtons().find((b) => isConfirm(b.callback_data));
  if (!confirm) throw new Error('the last message shows no Confirm button');
  return confirm.callback_data;
};
