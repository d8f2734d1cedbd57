// Bodies that get one field wrong, made from an endpoint's own body schema: each with the words its
// refusal's message must hold (the field's name, the allowed fields, the bound, the choices). A
// field added to a schema later gets its cases without anyone listing them.
import type { JsonSchema } from './route-table.ts';

export interface ValidationCase {
  /** What is wrong, for the test's message: `role: not one of its choices`. */
  readonly what: string;
  readonly body: unknown;
  /** Words the message must contain. */
  readonly names: readonly string[];
}

type Body = Record<string, unknown>;

/** The literals a schema allows, when it is a union of literals. */
function choicesOf(schema: JsonSchema): string[] | null {
  const branches = schema.anyOf;
  if (branches === undefined || !branches.every((branch) => branch.const !== undefined)) return null;
  return branches.map((branch) => String(branch.const));
}

/** The object branch of `object | null`, or the schema itself. */
function objectOf(schema: JsonSchema): JsonSchema | null {
  if (schema.type === 'object') return schema;
  return schema.anyOf?.find((branch) => branch.type === 'object') ?? null;
}

/** A value the schema takes: required fields only, the smallest sizes. */
export function validValue(schema: JsonSchema): unknown {
  const choices = choicesOf(schema);
  if (choices !== null) return choices[0];
  if (schema.anyOf !== undefined) return schema.anyOf.some((branch) => branch.type === 'null') ? null : validValue(schema.anyOf[0] ?? {});
  switch (schema.type) {
    case 'string':
      return 'a'.repeat(Math.max(1, schema.minLength ?? 0));
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => validValue(schema.items ?? {}));
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, validValue(schema.properties?.[name] ?? {})]));
    default:
      return null;
  }
}

/** A value of a type the schema never takes. */
function wrongType(schema: JsonSchema): unknown {
  if (choicesOf(schema) !== null) return 12345;
  return schema.type === 'string' ? 12345 : 'not-this-type';
}

function setAt(root: Body, path: readonly (string | number)[], value: unknown): Body {
  const copy = structuredClone(root);
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (value === undefined) Reflect.deleteProperty(at, last);
  else at[last] = value;
  return copy;
}

function nameOf(path: readonly (string | number)[]): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}

/** The cases of one field at `path` of `base` (where the field's parents hold valid values). */
function fieldCases(base: Body, path: (string | number)[], schema: JsonSchema, required: boolean): ValidationCase[] {
  const field = nameOf(path);
  const cases: ValidationCase[] = [{ what: `${field}: a wrong type`, body: setAt(base, path, wrongType(schema)), names: [field] }];
  if (required) cases.push({ what: `${field}: missing`, body: setAt(base, path, undefined), names: [field] });
  const choices = choicesOf(schema);
  if (choices !== null) cases.push({ what: `${field}: not one of its choices`, body: setAt(base, path, 'not-a-choice'), names: [field, ...choices] });
  if (schema.type === 'string' && schema.maxLength !== undefined) {
    cases.push({ what: `${field}: too long`, body: setAt(base, path, 'a'.repeat(schema.maxLength + 1)), names: [field, String(schema.maxLength)] });
  }
  if (schema.type === 'string' && (schema.minLength ?? 0) > 0) cases.push({ what: `${field}: empty`, body: setAt(base, path, ''), names: [field] });
  if (schema.type === 'integer' && schema.minimum !== undefined) {
    cases.push({ what: `${field}: below its minimum`, body: setAt(base, path, schema.minimum - 1), names: [field, String(schema.minimum)] });
  }
  if (schema.type === 'integer' && schema.maximum !== undefined) {
    cases.push({ what: `${field}: above its maximum`, body: setAt(base, path, schema.maximum + 1), names: [field, String(schema.maximum)] });
  }
  if (schema.type === 'integer') cases.push({ what: `${field}: a fraction`, body: setAt(base, path, 1.5), names: [field, 'integer'] });
  if (schema.type === 'array') {
    const items = schema.items ?? {};
    const first = [...path, 0];
    const withItem = setAt(base, path, [validValue(items)]);
    cases.push({ what: `${field}[0]: a wrong type`, body: setAt(withItem, first, wrongType(items)), names: [nameOf(first)] });
    if ((schema.minItems ?? 0) > 0) cases.push({ what: `${field}: too few items`, body: setAt(base, path, []), names: [field, String(schema.minItems)] });
    if (schema.maxItems !== undefined) {
      cases.push({ what: `${field}: too many items`, body: setAt(base, path, Array.from({ length: schema.maxItems + 1 }, () => validValue(items))), names: [field, String(schema.maxItems)] });
    }
    const object = objectOf(items);
    if (object !== null) cases.push(...objectCases(withItem, first, object));
  }
  const object = objectOf(schema);
  if (object !== null) cases.push(...objectCases(setAt(base, path, validValue(object)), path, object));
  return cases;
}

/** The cases of an object at `path` (the body itself when empty): an unknown field, and each of its fields. */
function objectCases(base: Body, path: (string | number)[], schema: JsonSchema): ValidationCase[] {
  const fields = Object.keys(schema.properties ?? {});
  const unknown = [...path, 'unknownField'];
  const cases: ValidationCase[] = [{ what: `${nameOf(unknown)}: not a field`, body: setAt(base, unknown, 1), names: [nameOf(unknown), ...fields] }];
  for (const name of fields) cases.push(...fieldCases(base, [...path, name], schema.properties?.[name] ?? {}, (schema.required ?? []).includes(name)));
  return cases;
}

/** Every case of a body schema. */
export function validationCases(schema: JsonSchema): ValidationCase[] {
  return objectCases(validValue(schema) as Body, [], schema);
}
