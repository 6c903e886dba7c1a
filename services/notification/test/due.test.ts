import { describe, expect, it } from 'vitest';
import { BLOCKED, decideDue, NO_CHAT, NO_SUMMARY, ORDER_CLOSED } from '../src/domain/due.ts';

const known = { chat: true, blocked: false, summary: true, expired: false };

describe('an owed payment message', () => {
  it('is sent once the buyer’s chat and the order summary are both known', () => {
    expect(decideDue(known)).toEqual({ action: 'send' });
    expect(decideDue({ ...known, expired: true })).toEqual({ action: 'send' });
  });

  it('is skipped when the buyer blocked the bot, whatever else is known', () => {
    expect(decideDue({ ...known, blocked: true })).toEqual({ action: 'skip', why: BLOCKED });
    expect(decideDue({ ...known, blocked: true, summary: false })).toEqual({ action: 'skip', why: BLOCKED });
  });

  it('waits for a missing chat or summary until its wait runs out', () => {
    expect(decideDue({ ...known, chat: false })).toEqual({ action: 'wait' });
    expect(decideDue({ ...known, summary: false })).toEqual({ action: 'wait' });
  });

  it('is skipped once its wait ran out, saying what never came', () => {
    expect(decideDue({ ...known, chat: false, expired: true })).toEqual({ action: 'skip', why: NO_CHAT });
    expect(decideDue({ ...known, summary: false, expired: true })).toEqual({
      action: 'skip',
      why: NO_SUMMARY,
    });
  });

  it('is skipped when it is an invoice of an order cancelled or paid meanwhile, even before a chat is known', () => {
    expect(decideDue({ ...known, orderClosed: true })).toEqual({ action: 'skip', why: ORDER_CLOSED });
    expect(decideDue({ ...known, chat: false, orderClosed: true })).toEqual({
      action: 'skip',
      why: ORDER_CLOSED,
    });
  });

  it('is looked at again shortly while the invoice it must delete is still on its way', () => {
    expect(decideDue({ ...known, invoiceUnsettled: true })).toEqual({ action: 'retry' });
    expect(decideDue({ ...known, chat: false, invoiceUnsettled: true })).toEqual({ action: 'wait' });
  });
});
