import { ServiceUnavailableError } from '@shop/shared';
import { GrammyError, InlineKeyboard, type InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import {
  cartButton,
  categoriesButton,
  helpButton,
  loginButton,
  logoutButton,
  ordersButton,
  registerButton,
} from './buttons.ts';
import type { BotContext, Translator } from './context.ts';
import { SessionExpiredError, type SignIn } from './sign-ins.ts';

/** A photo a view shows above its text (see photos.ts). */
export interface ViewPhoto {
  /** Telegram's file_id from an earlier upload, else the picture to upload; undefined: text alone. */
  media(): Promise<string | InputFile | undefined>;
  /** Keeps the file_id Telegram gave an upload, so the next view sends that instead. */
  remember(fileId: string): Promise<void>;
  /** Drops a file_id Telegram refused; the next `media()` is the picture itself. */
  forget(): Promise<void>;
}

export interface View {
  text: string;
  keyboard?: InlineKeyboard;
  /** With a photo the text is its caption. */
  photo?: ViewPhoto;
}

/** Telegram's limit on a photo's caption. */
export const CAPTION_MAX = 1024;

type Shown = Message | true;

/**
 * Shows a view where the user is looking: a button press edits its own message (browsing stays
 * in one message), a command or text sends a new one. A photo is put on the message
 * (editMessageMedia, even onto a text message); a text view on a photo message is sent anew and
 * the photo message deleted, since Telegram cannot turn a photo message into a text one.
 */
export async function show(ctx: BotContext, view: View): Promise<void> {
  const media = await view.photo?.media();
  if (view.photo && media !== undefined) return showPhoto(ctx, view, view.photo, media);
  const options = { reply_markup: view.keyboard };
  const current = ctx.callbackQuery?.message;
  if (current?.photo) {
    await ctx.reply(view.text, options);
    await ctx.deleteMessage().catch(ignoreRefusal);
    return;
  }
  // An edit that changes nothing succeeds (see unchanged-edits.ts).
  if (current) {
    await ctx.editMessageText(view.text, options);
    return;
  }
  await ctx.reply(view.text, options);
}

async function showPhoto(ctx: BotContext, view: View, photo: ViewPhoto, media: string | InputFile) {
  const caption = view.text.length > CAPTION_MAX ? `${view.text.slice(0, CAPTION_MAX - 1)}…` : view.text;
  const options = { reply_markup: view.keyboard };
  const current = ctx.callbackQuery?.message;
  const send = (input: string | InputFile): Promise<Shown> => {
    // The same photo already there: only the caption and the buttons change.
    if (typeof input === 'string' && current?.photo?.some((size) => size.file_id === input))
      return ctx.editMessageCaption({ caption, ...options });
    if (current) return ctx.editMessageMedia({ type: 'photo', media: input, caption }, options);
    return ctx.replyWithPhoto(input, { caption, ...options });
  };
  let sent = media;
  let shown: Shown;
  try {
    shown = await send(sent);
  } catch (error) {
    // A file_id Telegram no longer takes (another bot's, or forgotten): upload the picture once more.
    if (typeof sent !== 'string' || !isRefusedFile(error)) throw error;
    await photo.forget();
    const again = await photo.media();
    if (again === undefined) return show(ctx, { text: view.text, keyboard: view.keyboard });
    sent = again;
    shown = await send(sent);
  }
  const fileId = shown === true ? undefined : shown.photo?.at(-1)?.file_id;
  if (typeof sent !== 'string' && fileId) await photo.remember(fileId);
}

const isRefusedFile = (error: unknown) =>
  error instanceof GrammyError && error.error_code === 400 && /file|photo/i.test(error.description);

/** A message that is already gone, or too old for a bot to delete, stays as it is. */
function ignoreRefusal(error: unknown): void {
  if (!(error instanceof GrammyError && error.error_code === 400)) throw error;
}

/** Answers the button press (if this is one) so the client stops its spinner. */
export async function answer(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text === undefined ? undefined : { text, show_alert: alert });
}

export const mainMenu = (ctx: Translator) =>
  new InlineKeyboard()
    .text(ctx.t('menu-catalog'), categoriesButton.build())
    .text(ctx.t('menu-cart'), cartButton.build())
    .row()
    .text(ctx.t('menu-orders'), ordersButton.build({ page: 1 }))
    .text(ctx.t('menu-help'), helpButton.build())
    .row()
    .text(ctx.t('btn-logout'), logoutButton.build());

/** For anyone not signed in to an e-mail account: shopping needs no account, an e-mail account is offered. */
export const guestMenu = (ctx: Translator) =>
  new InlineKeyboard()
    .text(ctx.t('menu-catalog'), categoriesButton.build())
    .text(ctx.t('menu-cart'), cartButton.build())
    .row()
    .text(ctx.t('menu-orders'), ordersButton.build({ page: 1 }))
    .row()
    .text(ctx.t('btn-register'), registerButton.build())
    .text(ctx.t('btn-login'), loginButton.build());

/** The menu for this sign-in: the main menu for an e-mail account, the guest menu otherwise. */
export const menuFor = (ctx: Translator, signIn: SignIn | undefined) =>
  signIn?.email ? mainMenu(ctx) : guestMenu(ctx);

/**
 * Runs a screen that needs other services. A service that is down is said plainly with a Retry
 * button (`retryData`, built by the screen's codec) that repeats the same press; so is a sign-in
 * auth refused. Never silent.
 */
export async function guarded(
  ctx: BotContext,
  retryData: string,
  render: () => Promise<void>,
): Promise<void> {
  try {
    await render();
  } catch (error) {
    if (error instanceof ServiceUnavailableError) {
      const service = ctx.t(`service-${error.dependency}`);
      await show(ctx, {
        text: ctx.t('service-down', { service }),
        keyboard: new InlineKeyboard().text(ctx.t('btn-retry'), retryData),
      });
      await answer(ctx, ctx.t('service-down-short', { service }));
      return;
    }
    if (error instanceof SessionExpiredError) {
      await show(ctx, {
        text: ctx.t('sign-in-refused'),
        keyboard: new InlineKeyboard().text(ctx.t('btn-retry'), retryData),
      });
      await answer(ctx);
      return;
    }
    throw error;
  }
}
