import { describe, expect, it } from 'vitest';
import { deliverySchema, phoneSchema } from '../src/delivery/index.ts';

describe('the phone rule of delivery details', () => {
  it.each([
    ['+7 (999) 123-45-67', '+7 (999) 123-45-67'],
    ['8 812 555-01-02', '8 812 555-01-02'],
    ['+44 20 7946 0958', '+44 20 7946 0958'],
    ['  79991234567 ', '79991234567'],
    ['555.0100.22', '555.0100.22'],
    ['1234567', '1234567'],
    ['+123456789012345', '+123456789012345'],
  ])('takes %j as a phone number', (typed, kept) => {
    expect(phoneSchema.parse(typed)).toBe(kept);
  });

  it.each([
    ['not a phone'],
    ['+7 999 CALL-ME'],
    ['123456'],
    ['+1234567890123456'],
    ['++79991234567'],
    ['7999+1234567'],
    [''],
    [`1234567${' '.repeat(40)}8`],
  ])('refuses %j', (typed) => {
    expect(phoneSchema.safeParse(typed).success).toBe(false);
  });
});

describe('delivery details', () => {
  it('trims every field and refuses blank or overlong ones and unknown fields', () => {
    expect(
      deliverySchema.parse({ name: ' Anna ', phone: ' +7 999 123-45-67 ', address: ' Nevsky 1 ' }),
    ).toEqual({
      name: 'Anna',
      phone: '+7 999 123-45-67',
      address: 'Nevsky 1',
    });
    const good = { name: 'Anna', phone: '+7 999 123-45-67', address: 'Nevsky 1' };
    for (const bad of [
      { ...good, name: '   ' },
      { ...good, name: 'n'.repeat(101) },
      { ...good, address: '' },
      { ...good, address: 'a'.repeat(501) },
      { ...good, email: 'anna@example.com' },
      { name: good.name, phone: good.phone },
    ])
      expect(deliverySchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    expect(
      deliverySchema.safeParse({ ...good, name: 'n'.repeat(100), address: 'a'.repeat(500) }).success,
    ).toBe(true);
  });
});
