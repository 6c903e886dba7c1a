import { type Delivery, deliverySchema } from '@shop/shared';
import { Keyboard } from 'grammy';
import type { ConvContext, ShopConversation } from '../context.ts';
import { waitForText } from './ask.ts';

/** A shared contact's number as Telegram sends it, sometimes without its leading `+`. */
const phoneOfContact = (phone: string) => (/^\d/.test(phone) ? `+${phone}` : phone);

/** Waits for text that `field` of the delivery rule accepts, saying what is wrong until it does. */
async function askField(
  conversation: ShopConversation,
  field: 'name' | 'address',
): Promise<{ ctx: ConvContext; value: string }> {
  for (;;) {
    const ctx = await waitForText(conversation);
    const parsed = deliverySchema.shape[field].safeParse(ctx.msg.text);
    if (parsed.success) return { ctx, value: parsed.data };
    await ctx.reply(ctx.t(`delivery-${field}-invalid`));
  }
}

/**
 * The phone: typed, or shared with Telegram's "share my phone number" button. Only the user's
 * own contact is taken (a contact card of someone else is refused), and the number must pass
 * the same rule the order service enforces.
 */
async function askPhone(conversation: ShopConversation): Promise<{ ctx: ConvContext; value: string }> {
  for (;;) {
    const ctx = await conversation.waitFor(['message:text', 'message:contact'], {
      otherwise: async (other) => {
        if (other.callbackQuery) await other.answerCallbackQuery({ text: other.t('button-inactive') });
        else if (other.message) await other.reply(other.t('delivery-phone-invalid'));
      },
    });
    const { contact, text } = ctx.message;
    if (contact && contact.user_id !== ctx.from.id) {
      await ctx.reply(ctx.t('delivery-contact-not-yours'));
      continue;
    }
    const typed = contact ? phoneOfContact(contact.phone_number) : text;
    const parsed = deliverySchema.shape.phone.safeParse(typed);
    if (parsed.success) return { ctx, value: parsed.data };
    await ctx.reply(ctx.t('delivery-phone-invalid'));
  }
}

/**
 * Asks for the delivery details, one question at a time: name, phone (with a reply-keyboard
 * button that shares the user's own number), address. Returns them and the context of the last
 * answer, where the checkout goes on.
 */
export async function askDelivery(
  conversation: ShopConversation,
  ctx: ConvContext,
): Promise<{ ctx: ConvContext; delivery: Delivery }> {
  await ctx.reply(ctx.t('delivery-ask-name'));
  const name = await askField(conversation, 'name');
  const share = new Keyboard().requestContact(name.ctx.t('btn-share-phone')).resized().oneTime();
  await name.ctx.reply(name.ctx.t('delivery-ask-phone'), { reply_markup: share });
  const phone = await askPhone(conversation);
  await phone.ctx.reply(phone.ctx.t('delivery-ask-address'), { reply_markup: { remove_keyboard: true } });
  const address = await askField(conversation, 'address');
  return { ctx: address.ctx, delivery: { name: name.value, phone: phone.value, address: address.value } };
}
