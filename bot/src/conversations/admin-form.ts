import { InlineKeyboard } from 'grammy';
import type { Context } from 'grammy';
import { adminFormButton, SKIP } from '../admin/buttons.ts';
import type { Outcome } from '../admin/actions.ts';
import type { Parsed } from '../admin/inputs.ts';
import { isAdmin } from '../admin/role.ts';
import type { ConvContext, Dependencies, ShopConversation } from '../context.ts';
import { TELEGRAM_DOWNLOAD_MAX_BYTES } from '../telegram-files.ts';

/** One merchant's form: its conversation and `tag`, which its buttons carry. */
export interface Form {
  conversation: ShopConversation;
  deps: Dependencies;
  tag: string;
  from: NonNullable<Context['from']>;
}

const RETRY = 1;

export async function startForm(
  conversation: ShopConversation,
  deps: Dependencies,
  ctx: ConvContext,
): Promise<Form | undefined> {
  const from = ctx.from;
  if (from === undefined) return undefined;
  const tag = (await conversation.external(() => crypto.randomUUID())).slice(0, 8);
  return { conversation, deps, tag, from };
}

/** A button of this form. */
export const formButton = (form: Form, choice: number) => adminFormButton.build({ tag: form.tag, choice });
export const skipKeyboard = (form: Form, label: string) =>
  new InlineKeyboard().text(label, formButton(form, SKIP));

/** What a step reads from an answer: text, a press of this form's buttons, a photo or a document. */
export type Reader<T> = (answer: ConvContext, choice: number | undefined) => Parsed<T>;

/**
 * Waits for an answer `read` accepts. A wrong one gets a clear reply and the step is asked again;
 * a button of another form (an old one) is said to be old. The role is checked at every answer:
 * someone who is no longer an admin leaves the form, and the update goes on as any other would.
 */
export async function ask<T>(form: Form, read: Reader<T>): Promise<{ ctx: ConvContext; value: T }> {
  for (;;) {
    const ctx = await form.conversation.wait();
    if (!(await form.conversation.external(() => isAdmin(form.deps, ctx))))
      await form.conversation.halt({ next: true });
    const pressed = adminFormButton.parse(ctx.callbackQuery?.data);
    const choice = pressed?.tag === form.tag ? pressed.choice : undefined;
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery(choice === undefined ? { text: ctx.t('button-inactive') } : undefined);
      if (choice === undefined) continue;
    }
    const parsed = read(ctx, choice);
    if ('value' in parsed) return { ctx, value: parsed.value };
    await ctx.reply(ctx.t(parsed.problem, parsed.args));
  }
}

/** Text checked by `parse`; `skipped` is the value of the form's Skip button, if it has one. */
export const textReader =
  <T>(parse: (text: string) => Parsed<T>, skipped?: T): Reader<T> =>
  (ctx, choice) => {
    if (choice === SKIP && skipped !== undefined) return { value: skipped };
    const text = ctx.message?.text;
    return text === undefined ? { problem: 'admin-send-text' } : parse(text);
  };

/** One of this form's choice buttons (not Skip). */
export const choiceReader: Reader<number> = (_ctx, choice) =>
  choice !== undefined && choice !== SKIP ? { value: choice } : { problem: 'admin-use-buttons' };

/**
 * A photo sent as a photo: its largest size's file_id, or null for Skip (`skippable`). A file
 * sent as a document, or one over Telegram's 20 MB bot download limit, is refused here.
 */
export const photoReader =
  (skippable: boolean): Reader<string | null> =>
  (ctx, choice) => {
    if (choice === SKIP && skippable) return { value: null };
    const message = ctx.message;
    if (message?.document) return { problem: 'admin-photo-document' };
    const photo = message?.photo?.at(-1);
    if (!photo) return { problem: 'admin-photo-send' };
    if ((photo.file_size ?? 0) > TELEGRAM_DOWNLOAD_MAX_BYTES) return { problem: 'admin-photo-too-big' };
    return { value: photo.file_id };
  };

/**
 * Runs a catalog call until it is answered: a service that is down is said, with Try again.
 * Not an admin any more: the form ends.
 */
export async function persist<T>(
  form: Form,
  ctx: ConvContext,
  run: () => Promise<Outcome<T>>,
): Promise<{ ctx: ConvContext; outcome: Exclude<Outcome<T>, { kind: 'down' } | { kind: 'not-admin' }> }> {
  let at = ctx;
  for (;;) {
    const outcome = await form.conversation.external(run);
    if (outcome.kind === 'not-admin') return form.conversation.halt();
    if (outcome.kind !== 'down') return { ctx: at, outcome };
    await at.reply(at.t('admin-save-down', { service: at.t(`service-${outcome.service}`) }), {
      reply_markup: new InlineKeyboard().text(at.t('btn-retry'), formButton(form, RETRY)),
    });
    at = (
      await ask(form, (_ctx, choice) =>
        choice === RETRY ? { value: true } : { problem: 'admin-use-buttons' },
      )
    ).ctx;
  }
}
