// What a JSON Schema takes, said in words for people ("an integer from 1 to 10000", "one of
// reader, writer, admin", "an object or null"), and how a JSON value is named beside it.

/** A schema, or any JSON object: TypeBox's schemas are plain JSON Schema objects. */
export type Schema = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function list(items: readonly string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1) ?? ''}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function choice(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The literal values a schema allows, when it is a literal or a union of literals. */
export function choicesOf(schema: Schema): string[] | null {
  if ('const' in schema) return [choice(schema['const'])];
  if (Array.isArray(schema['enum'])) return (schema['enum'] as unknown[]).map(choice);
  const branches = schema['anyOf'];
  if (Array.isArray(branches) && branches.length > 0 && branches.every((branch) => isRecord(branch) && 'const' in branch)) {
    return (branches as Schema[]).map((branch) => choice(branch['const']));
  }
  return null;
}

function numberRange(schema: Schema): string {
  const min = schema['minimum'] ?? schema['exclusiveMinimum'];
  const max = schema['maximum'] ?? schema['exclusiveMaximum'];
  if (typeof min === 'number' && typeof max === 'number' && 'minimum' in schema && 'maximum' in schema) return ` from ${min} to ${max}`;
  const parts: string[] = [];
  if (typeof min === 'number') parts.push('minimum' in schema ? `of at least ${min}` : `greater than ${min}`);
  if (typeof max === 'number') parts.push('maximum' in schema ? `of at most ${max}` : `less than ${max}`);
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function sizeRange(min: unknown, max: unknown, noun: string): string {
  if (typeof min === 'number' && typeof max === 'number' && min > 0) return ` of ${min} to ${plural(max, noun)}`;
  if (typeof max === 'number') return ` of at most ${plural(max, noun)}`;
  if (typeof min === 'number' && min > 0) return ` of at least ${plural(min, noun)}`;
  return '';
}

const ITEM_NOUNS: Record<string, string> = { string: 'string', integer: 'integer', number: 'number', object: 'object', boolean: 'boolean', array: 'array' };

/** What a schema accepts, in words: "an integer from 1 to 10000", "one of reader, writer, admin". */
export function describeSchema(schema: Schema): string | null {
  const choices = choicesOf(schema);
  if (choices !== null) return choices.length === 1 ? (choices[0] ?? null) : `one of ${choices.join(', ')}`;
  const branches = schema['anyOf'];
  if (Array.isArray(branches)) {
    const described = branches.flatMap((branch) => {
      const text = isRecord(branch) ? describeSchema(branch) : null;
      return text === null ? [] : [text];
    });
    return described.length === branches.length ? list(described, 'or') : null;
  }
  switch (schema['type']) {
    case 'integer':
      return `an integer${numberRange(schema)}`;
    case 'number':
      return `a number${numberRange(schema)}`;
    case 'string': {
      const pattern = typeof schema['pattern'] === 'string' ? ` matching ${schema['pattern']}` : '';
      return `a string${sizeRange(schema['minLength'], schema['maxLength'], 'character')}${pattern}`;
    }
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const items = schema['items'];
      const noun = isRecord(items) && typeof items['type'] === 'string' ? (ITEM_NOUNS[items['type']] ?? 'item') : 'item';
      const size = sizeRange(schema['minItems'], schema['maxItems'], noun);
      return size === '' ? `an array of ${noun}s` : `an array${size}`;
    }
    case 'object':
      return 'an object';
    default:
      return null;
  }
}

/** "a JSON object with year, month and day, and optionally pageSize, pageToken or eventTypes". */
export function describeObject(schema: Schema): string {
  const properties = isRecord(schema['properties']) ? Object.keys(schema['properties']) : [];
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  const optional = properties.filter((name) => !required.includes(name));
  if (required.length > 0 && optional.length > 0) return `a JSON object with ${list(required)}, and optionally ${list(optional, 'or')}`;
  if (required.length > 0) return `a JSON object with ${list(required)}`;
  if (optional.length > 0) return `a JSON object with any of ${list(optional)}`;
  return 'a JSON object';
}

/** How a JSON value is named in "…, not a string". */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number with a fractional part';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value === 'object' ? 'an object' : 'nothing';
}

/** The JSON type names a value has: an integer is also a number. */
function typesOf(value: unknown): string[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

/** Whether a value is of a type the schema takes at all (a wrong value of the right type is not). */
export function typeFits(schema: Schema, value: unknown): boolean {
  if ('const' in schema) return typesOf(value).includes(typesOf(schema['const'])[0] ?? '');
  const branches = schema['anyOf'];
  if (Array.isArray(branches)) return branches.some((branch) => isRecord(branch) && typeFits(branch, value));
  const type = schema['type'];
  return typeof type !== 'string' || typesOf(value).includes(type);
}

/** Whether a value could be of one branch of a union: its literal, or its type. */
export function branchFits(branch: unknown, value: unknown): boolean {
  if (!isRecord(branch)) return false;
  if ('const' in branch) return branch['const'] === value;
  const type = branch['type'];
  return typeof type !== 'string' || typesOf(value).includes(type);
}
