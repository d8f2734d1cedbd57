// What a client is told when a request does not match its endpoint's schema: the field, and what
// was expected there (a type, a range, a length, the choices, the fields there are), never only
// "malformed". Only names of fields are repeated back, never the values sent.
import type { FastifySchemaValidationError } from 'fastify';
import { branchFits, choicesOf, describeObject, describeSchema, isRecord, kindOf, plural, typeFits, type Schema } from './schema-description.ts';

/** The part of the request a schema checks, as fastify names it. */
export type SchemaPart = 'body' | 'params' | 'querystring' | 'headers';

const MAX_PROBLEMS = 5;
const MAX_NAME = 64;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const INDEX = /^(?:0|[1-9]\d*)$/;

function tokensOf(pointer: string): string[] {
  const path = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  return path === '' ? [] : path.slice(1).split('/').map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function walk(root: unknown, tokens: readonly string[]): unknown {
  let at = root;
  for (const token of tokens) {
    if (Array.isArray(at)) at = INDEX.test(token) ? (at as unknown[])[Number(token)] : undefined;
    else if (isRecord(at)) at = at[token];
    else return undefined;
  }
  return at;
}

/** The schema an issue points at (a keyword's own path is taken back to its schema). */
function schemaAt(root: unknown, schemaPath: string): Schema | undefined {
  const tokens = tokensOf(schemaPath);
  const found = walk(root, tokens);
  if (isRecord(found)) return found;
  const parent = walk(root, tokens.slice(0, -1));
  return isRecord(parent) ? parent : undefined;
}

class Describer {
  constructor(
    private readonly part: SchemaPart,
    private readonly schema: unknown,
    private readonly value: unknown,
  ) {}

  /** `subject.kind`, `eventTypes[1]`, `sso.providers[0].name`; a name that is no identifier is quoted. */
  field(tokens: readonly string[]): string {
    let name = '';
    tokens.forEach((token, index) => {
      if (INDEX.test(token) && Array.isArray(walk(this.value, tokens.slice(0, index)))) name += `[${token}]`;
      else if (IDENTIFIER.test(token) && token.length <= MAX_NAME) name += name === '' ? token : `.${token}`;
      else name += `[${JSON.stringify(token.slice(0, MAX_NAME))}]`;
    });
    return name;
  }

  /** The field as a clause begins with it: in the body by its name, elsewhere with where it is. */
  subject(tokens: readonly string[]): string {
    const name = this.field(tokens);
    switch (this.part) {
      case 'params':
        return `${name} in the path`;
      case 'querystring':
        return `${name} in the query string`;
      case 'headers':
        return `the ${name} header`;
      default:
        return name;
    }
  }

  private fieldNoun(): string {
    return this.part === 'querystring' ? 'query parameter' : this.part === 'params' ? 'path parameter' : 'field';
  }

  unknownField(parent: readonly string[], name: string, objectSchema: Schema | undefined): string {
    const allowed = objectSchema !== undefined && isRecord(objectSchema['properties']) ? Object.keys(objectSchema['properties']) : [];
    const noun = this.fieldNoun();
    const where = parent.length === 0 ? `this endpoint takes; the ${noun}s are` : `of ${this.field(parent)}; its ${noun}s are`;
    const known = allowed.length === 0 ? `${parent.length === 0 ? 'it takes' : 'it has'} none` : null;
    const subject = this.subject([...parent, name]);
    return known === null ? `${subject} is not a ${noun} ${where} ${allowed.join(', ')}` : `${subject} is not a ${noun}: ${known}`;
  }

  missingField(parent: readonly string[], name: string, objectSchema: Schema | undefined): string {
    const properties = objectSchema?.['properties'];
    const fieldSchema = isRecord(properties) ? properties[name] : undefined;
    const expected = isRecord(fieldSchema) ? describeSchema(fieldSchema) : null;
    return `${this.subject([...parent, name])} is required${expected === null ? '' : ` (${expected})`}`;
  }

  /** A value of the wrong shape at the top: no body at all, or not an object. */
  wrongRoot(rootSchema: Schema | undefined): string {
    const expected = rootSchema === undefined ? 'a JSON object' : describeObject(rootSchema);
    if (this.part !== 'body') return `The ${this.part === 'params' ? 'path' : this.part} must be ${expected}`;
    if (this.value === undefined) return `This endpoint needs a JSON body: ${expected}`;
    return `The body must be ${expected}, not ${kindOf(this.value)}`;
  }

  wrongValue(tokens: readonly string[], fieldSchema: Schema | undefined, issue: FastifySchemaValidationError): string {
    const expected = fieldSchema === undefined ? null : describeSchema(fieldSchema);
    if (expected === null) return `${this.subject(tokens)}: ${issue.message ?? 'does not match the schema'}`;
    const value = walk(this.value, tokens);
    const sent = fieldSchema !== undefined && !typeFits(fieldSchema, value) ? `, not ${kindOf(value)}` : '';
    return `${this.subject(tokens)} must be ${expected}${sent}`;
  }

  schemaAt(path: string): Schema | undefined {
    return schemaAt(this.schema, path);
  }

  valueAt(tokens: readonly string[]): unknown {
    return walk(this.value, tokens);
  }
}

/**
 * The issues worth telling, with unions resolved: a union of literals is one "must be one of";
 * a value whose type fits one branch of a union is told that branch's issues; one that fits none
 * is told the union. The echo of an unknown field as "schema is false" is dropped for its
 * parent's "additional properties", which names it.
 */
function clauses(issues: readonly FastifySchemaValidationError[], describer: Describer): string[] {
  const told: string[] = [];
  // Schema paths (ending in "/") whose issues are told otherwise or not at all.
  const silenced: string[] = [];
  const isSilenced = (schemaPath: string) => silenced.some((prefix) => `${schemaPath}/`.startsWith(prefix));
  const unions = issues.filter((issue) => issue.keyword === 'anyOf').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (isSilenced(union.schemaPath)) continue;
    const schema = describer.schemaAt(union.schemaPath);
    const branches = Array.isArray(schema?.['anyOf']) ? (schema['anyOf'] as unknown[]) : [];
    const tokens = tokensOf(union.instancePath);
    const value = describer.valueAt(tokens);
    const fitting = branches.flatMap((branch, index) => (branchFits(branch, value) ? [index] : []));
    if ((schema !== undefined && choicesOf(schema) !== null) || fitting.length === 0) {
      told.push(describer.wrongValue(tokens, schema, union));
      silenced.push(`${union.schemaPath}/anyOf/`);
    } else {
      branches.forEach((_branch, index) => {
        if (!fitting.includes(index)) silenced.push(`${union.schemaPath}/anyOf/${index}/`);
      });
    }
  }
  for (const issue of issues) {
    if (issue.keyword === 'anyOf' || isSilenced(issue.schemaPath)) continue;
    const tokens = tokensOf(issue.instancePath);
    const params = issue.params;
    switch (issue.keyword) {
      case 'required': {
        const missing = Array.isArray(params['requiredProperties']) ? (params['requiredProperties'] as string[]) : [String(params['missingProperty'])];
        for (const name of missing) told.push(describer.missingField(tokens, name, describer.schemaAt(issue.schemaPath)));
        break;
      }
      case 'additionalProperties': {
        const extra = Array.isArray(params['additionalProperties']) ? (params['additionalProperties'] as string[]) : [String(params['additionalProperty'])];
        for (const name of extra) told.push(describer.unknownField(tokens, name, describer.schemaAt(issue.schemaPath)));
        break;
      }
      case 'boolean':
        // "schema is false": an unknown field, told by its parent's additionalProperties issue.
        if (!issue.schemaPath.endsWith('/additionalProperties')) told.push(`${describer.subject(tokens)} is not allowed`);
        break;
      default:
        if (tokens.length === 0 && issue.keyword === 'type') told.push(describer.wrongRoot(describer.schemaAt(issue.schemaPath)));
        else told.push(describer.wrongValue(tokens, describer.schemaAt(issue.schemaPath), issue));
    }
  }
  return [...new Set(told)];
}

/**
 * The message for a request its schema refused: each problem names its field and what was
 * expected, up to five of them. `schema` is the part's schema, `value` what the request held.
 */
export function validationMessage(issues: readonly FastifySchemaValidationError[], part: SchemaPart, schema: unknown, value: unknown): string {
  const told = clauses(issues, new Describer(part, schema, value));
  if (told.length === 0) return `The ${part === 'querystring' ? 'query string' : part} does not match what this endpoint takes.`;
  const more = told.length > MAX_PROBLEMS ? `; and ${plural(told.length - MAX_PROBLEMS, 'more problem')}` : '';
  return `${told.slice(0, MAX_PROBLEMS).join('; ')}${more}.`;
}
