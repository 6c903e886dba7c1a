import fc from 'fast-check';
import type { JsonSchema } from './routes.ts';

const INT32 = 2 ** 31 - 1;

/** Values that have broken web services before: NUL bytes, lone surrogates, huge and odd numbers, injection. */
export const nastyValue: fc.Arbitrary<unknown> = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\u202Eevil',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  "' OR 1=1 --",
  '%00',
  '../../etc/passwd',
  '{{7*7}}',
  '${7*7}',
  '<script>alert(1)</script>',
  '__proto__',
  'x'.repeat(5_000),
  -1,
  0,
  -0,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  null,
  true,
  [],
  {},
  { __proto__: null, constructor: { prototype: { polluted: true } } },
);

/** Anything JSON can carry, nasty values included. */
export const wildJson: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
  { arbitrary: nastyValue, weight: 2 },
);

/** Mostly `valid`, sometimes something else entirely: gets past validation often enough to reach the domain. */
const mostly = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: valid, weight: 15 }, { arbitrary: wildJson, weight: 1 });

/** Text of any Unicode code points (NUL included), sometimes plain ASCII. */
export const anyText = (minLength = 0, maxLength = 30) => {
  const ascii = fc.string({ unit: 'grapheme-ascii', minLength, maxLength });
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', minLength, maxLength }), weight: 3 },
    { arbitrary: ascii, weight: 3 },
    // PostgreSQL text cannot hold U+0000: a NUL that reaches a query is a 500 waiting to happen.
    { arbitrary: fc.tuple(ascii, ascii).map(([a, b]) => `${a}\u0000${b}`), weight: 1 },
    { arbitrary: nastyValue.filter((value) => typeof value === 'string'), weight: 1 },
  );
};

function integerIn(schema: JsonSchema, name: string): fc.Arbitrary<number> {
  const min =
    schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : (schema.minimum ?? -INT32);
  const max = schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : (schema.maximum ?? INT32);
  const inside = fc.integer({ min: Math.max(min, -INT32), max: Math.min(max, INT32) });
  const edges = fc.constantFrom(min, max, min - 1, max + 1);
  // Ids of things that exist are small: aim there often, or every lookup is a 404.
  if (/id$/i.test(name))
    return fc.oneof({ arbitrary: fc.integer({ min: 1, max: 12 }), weight: 4 }, inside, edges);
  return fc.oneof({ arbitrary: inside, weight: 4 }, edges);
}

function stringFor(schema: JsonSchema, name: string): fc.Arbitrary<string> {
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
  // The schemas do not say it (zod pipes and refinements), but the names do.
  if (schema.format === 'email' || /email/i.test(name)) return fc.emailAddress();
  if (/password/i.test(name)) return anyText(8, 40);
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  return anyText(schema.minLength ?? 0, Math.min(schema.maxLength ?? 30, 30));
}

/**
 * Values for a JSON Schema from an OpenAPI document: mostly valid, so requests reach the code
 * behind validation, with wild values mixed in at every level.
 */
export function valuesFor(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  name = '',
): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.example !== undefined && name !== '') {
    return fc.oneof(fc.constant(s.example), valuesFor({ ...s, example: undefined }, resolve, name));
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((one) => valuesFor(one, resolve, name)));
  if (s.allOf?.[0]) return valuesFor(s.allOf[0], resolve, name);
  if (s.enum) return mostly(fc.constantFrom(...s.enum));
  if (s.const !== undefined) return mostly(fc.constant(s.const));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'integer':
      return mostly(integerIn(s, name));
    case 'number':
      return mostly(fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return mostly(fc.boolean());
    case 'null':
      return mostly(fc.constant(null));
    case 'string':
      return mostly(stringFor(s, name));
    case 'array':
      return mostly(
        fc.array(valuesFor(s.items ?? {}, resolve, name), {
          minLength: s.minItems ?? 0,
          maxLength: Math.min(s.maxItems ?? 4, 4),
        }),
      );
    case 'object': {
      const properties = Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([key, property]) => [key, valuesFor(property, resolve, key)]),
      );
      return mostly(fc.record(properties, { requiredKeys: s.required ?? [] }));
    }
    default:
      return wildJson;
  }
}

/** Names a plain object answers to without owning them: a lookup keyed by user input must not find them. */
export const prototypeNames = ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'];

/** A parameter's value as it travels in a URL or header: the schema's values, stringified. */
export function parameterText(
  schema: JsonSchema,
  resolve: (s: JsonSchema) => JsonSchema,
  name = '',
): fc.Arbitrary<string> {
  return fc.oneof(
    {
      arbitrary: valuesFor(schema, resolve, name).map((value) =>
        typeof value === 'string' ? value : JSON.stringify(value),
      ),
      weight: 3,
    },
    fc.constantFrom(
      '0',
      '-1',
      '1e3',
      '0x10',
      '1.5',
      ' 1',
      '01',
      'NaN',
      '9'.repeat(40),
      '%',
      '%zz',
      '..%2F',
      '',
      ...prototypeNames,
    ),
  );
}

/** Header values are Latin-1 without control characters (fetch refuses anything else). */
export const headerText = (maxLength = 60) =>
  fc.string({
    unit: fc
      .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }))
      .map((code) => String.fromCharCode(code)),
    maxLength,
  });

/** Makes a string safe for a header without losing all of its strangeness. */
export const asHeader = (value: string) => value.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
