// Generators of hostile request parts: values shaped by a route's own JSON schema (then bent),
// any JSON, text that is not JSON, bodies nested deep or over the size limit, header values of
// every byte HTTP can carry, and mutations of real tokens. They know nothing of particular routes.
import fc from 'fast-check';
import type { JsonSchema } from './route-table.ts';

/** A header value as HTTP can deliver it: tab, printable ASCII and the bytes 0x80-0xFF (read as latin1). */
export const headerText = (maxLength = 80): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09)).map((code) => String.fromCharCode(code)),
    maxLength,
  });

/** Text people type that means something elsewhere: separators of CEF, syslog, JSON, paths and SQL. */
export const awkwardPieces = ['|', '=', '\\', '"', "'", ']', '[', '{', '}', '<13>', '%00', '%', '../', '\u2028', '\u0085', '\n', '\r\n', '\t', '\0', ' OR 1=1 --', '😀', 'é', '\ud800'];

export const awkwardString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...awkwardPieces), { minLength: 1, maxLength: 6 }).map((pieces) => pieces.join('')),
);

/** Values worth trying, by property name (`email`, `year`, ...), and for any string or integer. */
export interface Vocabulary {
  readonly strings: readonly string[];
  readonly integers: readonly number[];
  readonly byName: Readonly<Record<string, readonly (string | number)[]>>;
}

/**
 * Values shaped by a JSON schema (objects, arrays, strings, integers, literals, unions), drawn from
 * the vocabulary as often as not, so that generated requests get past validation to the code
 * behind it. Bounds are mostly kept, sometimes not.
 */
export function schemaValue(schema: JsonSchema, vocabulary: Vocabulary, name = ''): fc.Arbitrary<unknown> {
  const named = vocabulary.byName[name] ?? [];
  const strings = [...named.filter((value) => typeof value === 'string'), ...(named.length > 0 ? [] : vocabulary.strings)];
  const namedIntegers = named.filter((value) => typeof value === 'number');
  const integers = namedIntegers.length > 0 ? namedIntegers : vocabulary.integers;
  const words = strings.length > 0 ? fc.constantFrom(...strings) : fc.string();
  if (schema.anyOf !== undefined) return fc.oneof(...schema.anyOf.map((option) => schemaValue(option, vocabulary, name)));
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = schema.required ?? [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) model[key] = schemaValue(value, vocabulary, key);
      return fc.record(model, { requiredKeys: required.filter((key) => key in properties) });
    }
    case 'array':
      return fc.array(schema.items === undefined ? fc.jsonValue() : schemaValue(schema.items, vocabulary, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 8, 8),
      });
    case 'string': {
      const shaped =
        schema.pattern !== undefined
          ? fc.stringMatching(new RegExp(schema.pattern))
          : fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) });
      return fc.oneof({ weight: named.length > 0 ? 8 : 3, arbitrary: words }, { weight: 2, arbitrary: shaped }, { weight: 1, arbitrary: awkwardString });
    }
    case 'integer':
      return fc.oneof(
        { weight: named.length > 0 ? 4 : 1, arbitrary: fc.constantFrom(...integers) },
        { weight: 1, arbitrary: fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 10_000 }) },
        { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308) },
      );
    case 'number':
      return fc.double();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue();
  }
}

/** A schema-shaped value bent one way: a key dropped, a key added, a value of another type, a prototype key. */
export function bentValue(value: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(value, fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 3 }), awkwardString), fc.constantFrom('drop', 'add', 'replace', 'proto', 'wrap'))
    .map(([original, index, other, how]) => {
      if (typeof original !== 'object' || original === null || Array.isArray(original)) return how === 'wrap' ? [original] : other;
      const record = { ...(original as Record<string, unknown>) };
      const keys = Object.keys(record);
      const key = keys.length === 0 ? 'extra' : (keys[index % keys.length] as string);
      switch (how) {
        case 'drop':
          return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
        case 'add':
          return { ...record, [`${key}X`]: other };
        case 'replace':
          return { ...record, [key]: other };
        case 'proto':
          return JSON.parse(`{"__proto__":{"role":"admin"},${JSON.stringify(record).slice(1)}`.replace(/,}$/, '}')) as unknown;
        default:
          return [record];
      }
    });
}

/** JSON nested `depth` levels deep, of arrays or of objects, with a prototype key at the bottom. */
export const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 40_000 }), fc.constantFrom('array', 'object', 'field'))
  .map(([depth, shape]) => {
    if (shape === 'array') return `${'['.repeat(depth)}{"__proto__":1}${']'.repeat(depth)}`;
    const levels = Math.min(depth, 12_000);
    const nested = `${'{"a":'.repeat(levels)}{"constructor":{"prototype":1}}${'}'.repeat(levels)}`;
    return shape === 'object' ? nested : `{"name":${nested}}`;
  });

/** JSON around the 64 KiB limit: just under, at, and over it. */
export const hugeJson: fc.Arbitrary<string> = fc.integer({ min: -8, max: 70_000 }).map((over) => {
  const empty = JSON.stringify({ name: '' });
  return JSON.stringify({ name: 'x'.repeat(Math.max(0, 64 * 1024 - empty.length + over)) });
});

/** A real token edited: truncated, a character changed, inserted or removed, or pieces swapped. */
export function mutatedToken(real: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return fc
    .tuple(real, real, fc.nat(), fc.constantFrom(...base64url.split('')), fc.constantFrom('truncate', 'change', 'insert', 'remove', 'splice', 'repeat', 'pad'))
    .map(([token, other, position, char, how]) => {
      const at = token.length === 0 ? 0 : position % token.length;
      switch (how) {
        case 'truncate':
          return token.slice(0, at);
        case 'change':
          return `${token.slice(0, at)}${token[at] === char ? (char === 'A' ? 'B' : 'A') : char}${token.slice(at + 1)}`;
        case 'insert':
          return `${token.slice(0, at)}${char}${token.slice(at)}`;
        case 'remove':
          return `${token.slice(0, at)}${token.slice(at + 1)}`;
        case 'splice':
          return `${token.split('.')[0] ?? ''}.${other.split('.')[1] ?? ''}`;
        case 'repeat':
          return `${token}${token}`;
        default:
          return `${token}=`;
      }
    });
}
