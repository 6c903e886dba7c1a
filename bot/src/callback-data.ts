/**
 * The checkout's buttons: − / number / + / Continue / Cancel on the quantity prompt, and Confirm
 * on the summary, which carries the total it confirms: a press on a summary that has since
 * been replaced (the price changed) names a total the buyer is no longer shown.
 */
export type CheckoutButton = { tag: string } & (
  { action: 'minus' | 'plus' | 'count' | 'continue' | 'cancel' } | { action: 'confirm'; totalCents: number }
);

const codes = { minus: '-', plus: '+', count: 'n', continue: 'ok', cancel: 'no' } as const;
type SimpleAction = keyof typeof codes;
const actionOfCode = new Map<string, SimpleAction>(
  Object.entries(codes).map(([action, code]) => [code, action as SimpleAction]),
);

// The tag names one checkout: a button of another checkout is an old button. Totals fit an int4.
const pattern = /^k:([\w-]{1,16}):(?:(-|\+|n|ok|no)|buy:(\d{1,10}))$/;

/** The one place that writes and reads checkout callback data (`k:<tag>:<action>`). */
export const checkoutButton = {
  encode(button: CheckoutButton): string {
    const action = button.action === 'confirm' ? `buy:${button.totalCents}` : codes[button.action];
    return `k:${button.tag}:${action}`;
  },
  /** The button, or undefined when `data` is no checkout button (another screen's, or forged). */
  decode(data: string | undefined): CheckoutButton | undefined {
    const [, tag, code, total] = pattern.exec(data ?? '') ?? [];
    if (tag === undefined) return undefined;
    if (total !== undefined) return { tag, action: 'confirm', totalCents: Number(total) };
    const action = code === undefined ? undefined : actionOfCode.get(code);
    return action === undefined ? undefined : { tag, action };
  },
};
