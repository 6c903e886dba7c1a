import { describe, expect, it } from 'vitest';
import { createEvent, InvalidEventError, parseEvent, routingKeyOf } from '../src/messaging/index.ts';

const payment = {
  paymentId: crypto.randomUUID(),
  orderId: 12,
  userId: crypto.randomUUID(),
  amountCents: 1999,
  currency: 'EUR',
};

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

function parseError(raw: Buffer): InvalidEventError {
  try {
    parseEvent(raw);
  } catch (error) {
    if (error instanceof InvalidEventError) return error;
    throw error;
  }
  throw new Error('parseEvent accepted the message');
}

describe('createEvent', () => {
  it('builds an envelope with a uuid id, an ISO timestamp and its own id as correlation id', () => {
    const event = createEvent('payment.succeeded', payment);

    expect(event).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'payment.succeeded',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      correlationId: event.id,
      data: payment,
    });
  });

  it('keeps a given correlation id', () => {
    const event = createEvent(
      'payment.failed',
      { ...payment, reason: 'declined' },
      { correlationId: 'order-12' },
    );

    expect(event.correlationId).toBe('order-12');
  });

  it('rejects a payload that breaks the contract', () => {
    expect(() => createEvent('payment.succeeded', { ...payment, amountCents: 19.99 })).toThrow();
  });
});

describe('parseEvent', () => {
  it('reads back what createEvent built, typed by its type', () => {
    const event = createEvent('user.telegram_linked', {
      userId: crypto.randomUUID(),
      telegramId: 2 ** 40,
      languageCode: 'ru',
    });

    const parsed = parseEvent(encode(event));

    expect(parsed).toEqual(event);
    expect(parsed.type === 'user.telegram_linked' && parsed.data.telegramId).toBe(2 ** 40);
  });

  it('reports a body that is not JSON as malformed', () => {
    expect(parseError(Buffer.from('{"id": nope')).reason).toBe('malformed');
    expect(parseError(Buffer.from([0xff, 0xfe, 0x00])).reason).toBe('malformed');
  });

  it('reports a bad envelope, an unknown type or a bad payload as schema-invalid', () => {
    const event = createEvent('payment.succeeded', payment);

    expect(parseError(encode({ ...event, id: 'not-a-uuid' })).reason).toBe('schema_invalid');
    expect(parseError(encode({ ...event, type: 'order.exploded' })).message).toMatch(/unknown event type/);
    const invalid = parseError(encode({ ...event, data: { ...payment, currency: 'euro' } }));
    expect(invalid.reason).toBe('schema_invalid');
    expect(invalid.issues[0]?.path).toEqual(['data', 'currency']);
  });

  it('ignores payload fields it does not know, so producers can add some first', () => {
    const event = createEvent('payment.succeeded', payment);

    const parsed = parseEvent(encode({ ...event, data: { ...payment, provider: 'sim' } }));

    expect(parsed.data).toEqual(payment);
  });
});

describe('routingKeyOf', () => {
  it('routes each event by its own name', () => {
    expect(routingKeyOf('order.created')).toBe('order.created');
    expect(routingKeyOf('payment.failed')).toBe('payment.failed');
  });
});
