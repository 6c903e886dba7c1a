import type { Transformer } from 'grammy';

const NOT_MODIFIED = 'message is not modified';

/**
 * Telegram refuses an edit that would change nothing ("message is not modified"). The message
 * then already says what the bot wanted it to say: a Retry that found nothing new, or an update
 * replayed after a crash whose edit had gone out but whose state had not been saved. Treated as
 * done, so such an update goes on (its callback query answered, its conversation saved) instead
 * of failing again at every replay.
 */
export const unchangedEditsSucceed: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (
    !result.ok &&
    result.error_code === 400 &&
    method.startsWith('editMessage') &&
    result.description.includes(NOT_MODIFIED)
  ) {
    // What Telegram itself answers for an edit whose message it does not return.
    return { ok: true, result: true as never };
  }
  return result;
};
