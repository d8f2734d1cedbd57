// Requests for every route the server itself describes (its OpenAPI document, checked against the
// router), with a chosen value put wherever it fits: a path parameter or a body field. Tests that
// probe every route this way reach routes added later without being told about them.
import assert from 'node:assert/strict';
import type { TestServer } from './test-server.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type ValueKind =
  | 'user'
  | 'group'
  | 'resource'
  | 'token'
  | 'service_account'
  | 'org'
  | 'event'
  | 'email'
  | 'slug'
  | 'name'
  | 'provider'
  | 'invitation'
  | 'page_token'
  | 'cursor'
  | 'day'
  | 'issuer'
  | 'client_id';

/** A value to put into requests; a day is `YYYY-MM-DD`. */
export interface ProbeValue {
  readonly kind: ValueKind;
  readonly value: string;
}

interface Schema {
  readonly type?: string;
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
}

export interface Route {
  readonly method: Method;
  /** OpenAPI style: `/api/groups/{id}/members`. */
  readonly path: string;
  readonly body: Schema | null;
}

export interface Probe {
  readonly route: Route;
  readonly url: string;
  readonly body: unknown;
  /** Whether the value was put anywhere (a plain probe has no value). */
  readonly used: boolean;
}

const ID_KINDS: readonly ValueKind[] = ['user', 'group', 'resource', 'token', 'service_account', 'org', 'event'];
const ALL_KINDS: readonly ValueKind[] = [...ID_KINDS, 'email', 'slug', 'name', 'provider', 'invitation', 'page_token', 'cursor', 'day', 'issuer', 'client_id'];

/** What a body field of that name may hold; a field not listed takes anything (a new field is probed with every value). */
const FIELD_KINDS: Record<string, readonly ValueKind[]> = {
  eventId: ['event', 'org'],
  serviceAccountId: ['service_account', 'user', 'org'],
  id: ['user', 'group', 'org'],
  add: ['user', 'org'],
  remove: ['user', 'org'],
  email: ['email'],
  org: ['slug'],
  name: ['name', 'provider'],
  issuer: ['issuer'],
  clientId: ['client_id'],
  pageToken: ['page_token'],
  after: ['cursor'],
  password: [],
  scopes: [],
  type: [],
  clientSecret: [],
  year: ['day'],
  month: ['day'],
  day: ['day'],
  pageSize: [],
  expiresInDays: [],
  eventTypes: [],
  plainLogin: [],
  googleOAuth: [],
};

/** What a path parameter after that segment names; an unknown segment takes every id. */
const SEGMENT_KINDS: Record<string, readonly ValueKind[]> = {
  groups: ['group', 'org'],
  resources: ['resource', 'org'],
  users: ['user', 'service_account', 'org'],
  tokens: ['token', 'org'],
  invitations: ['invitation'],
  sso: ['provider'],
};

function defaultString(field: string, unique: number): string {
  switch (field) {
    case 'email':
      return `nobody-${String(unique)}@nowhere.example.test`;
    case 'password':
      return 'a password long enough';
    case 'scopes':
      return 'security-log:read';
    case 'type':
      return 'project';
    case 'clientSecret':
      return '***';
    case 'issuer':
      return 'https://idp.nowhere.example.test';
    default:
      return `probe-${String(unique)}`;
  }
}

interface Filled {
  readonly value: unknown;
  readonly used: boolean;
}

/** Body variants for the schema: one per place the value fits (every other field at its default). */
function fill(schema: Schema, field: string, value: ProbeValue | null, unique: number): Filled[] {
  const takes = value !== null && (FIELD_KINDS[field] ?? ALL_KINDS).includes(value.kind);
  if (schema.anyOf !== undefined) {
    const enums = schema.anyOf.flatMap((option) => option.enum ?? []);
    if (enums.length > 0) {
      // A subject's kind follows the id it names.
      const wanted = field === 'kind' && value !== null && enums.includes(value.kind) ? value.kind : enums[0];
      return [{ value: wanted, used: false }];
    }
    const object = schema.anyOf.find((option) => option.type !== 'null');
    return object === undefined ? [{ value: null, used: false }] : fill(object, field, value, unique);
  }
  if (schema.enum !== undefined) return [{ value: schema.enum[0], used: false }];
  switch (schema.type) {
    case 'object':
      return fillObject(schema, value, unique);
    case 'array':
      return fill(schema.items ?? {}, field, value, unique).map((item) => ({ value: [item.value], used: item.used }));
    case 'integer':
    case 'number': {
      if (['year', 'month', 'day'].includes(field)) {
        const date = takes ? value.value : new Date().toISOString().slice(0, 10);
        const [year, month, day] = date.split('-').map(Number);
        return [{ value: field === 'year' ? year : field === 'month' ? month : day, used: takes }];
      }
      return [{ value: schema.minimum ?? 1, used: false }];
    }
    case 'boolean':
      return [{ value: true, used: false }];
    default:
      return [takes ? { value: value.value, used: true } : { value: defaultString(field, unique), used: false }];
  }
}

function fillObject(schema: Schema, value: ProbeValue | null, unique: number): Filled[] {
  const required = new Set(schema.required ?? []);
  const base: Record<string, unknown> = {};
  let baseUsed = false;
  const optional: Filled[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const variants = fill(property, name, value, unique);
    if (required.has(name)) {
      const chosen = variants.find((variant) => variant.used) ?? variants[0];
      base[name] = chosen?.value;
      baseUsed ||= chosen?.used ?? false;
    } else {
      for (const variant of variants.filter((candidate) => candidate.used)) optional.push({ value: { [name]: variant.value }, used: true });
    }
  }
  const merged = optional.map((variant) => ({ value: { ...base, ...(variant.value as Record<string, unknown>) }, used: true }));
  if (baseUsed) return [{ value: base, used: true }, ...merged];
  return merged.length > 0 ? merged : [{ value: base, used: false }];
}

/** The path parameter's own default (an object of the caller's org), or null when only the value may go there. */
export type PathDefault = (segment: string) => string | null;

/**
 * The route's requests carrying the value: one per place it fits. With a value of `null`, one
 * plain request at the defaults (path parameters from `defaults`, else a made-up id).
 */
export function probesFor(route: Route, value: ProbeValue | null, defaults: PathDefault, unique: number): Probe[] {
  const segments = route.path.split('/');
  const params = segments.flatMap((segment, index) => (/^\{.+\}$/.test(segment) ? [index] : []));
  const fits = (index: number) => value !== null && (SEGMENT_KINDS[segments[index - 1] ?? ''] ?? ALL_KINDS).includes(value.kind);
  const urlWith = (placed: number | null): string | null => {
    const parts = [...segments];
    for (const index of params) {
      const fallback = defaults(segments[index - 1] ?? '') ?? (value === null ? `probe-${String(unique)}` : null);
      const chosen = index === placed ? (value?.value ?? null) : fallback;
      if (chosen === null) return null;
      parts[index] = encodeURIComponent(chosen);
    }
    return parts.join('/');
  };
  const bodies = route.body === null ? [{ value: undefined, used: false }] : fill(route.body, '', value, unique);
  const probes: Probe[] = [];
  const plainUrl = urlWith(null);
  for (const body of bodies) {
    if (plainUrl !== null && (body.used || value === null)) probes.push({ route, url: plainUrl, body: body.value, used: body.used });
  }
  for (const index of params.filter(fits)) {
    const url = urlWith(index);
    const body = bodies.find((candidate) => !candidate.used) ?? fill(route.body ?? {}, '', null, unique)[0];
    if (url !== null) probes.push({ route, url, body: route.body === null ? undefined : body?.value, used: true });
  }
  return probes;
}

interface OpenApi {
  readonly paths: Record<string, Record<string, { readonly requestBody?: { readonly content: Record<string, { readonly schema: Schema }> } }>>;
}

/** The routes as the router has them (`/api/tokens/:id`), from fastify's route tree, without the API explorer's. */
function routerRoutes(server: TestServer): string[] {
  const found: string[] = [];
  const stack: string[] = [];
  for (const line of server.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)/.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + (match[2] ?? '');
    stack.push(path);
    for (const method of (match[3] ?? '').split(', ')) if (method !== 'HEAD') found.push(`${method} ${path}`);
  }
  // The API documentation and the console's pages (the same files for everyone) are not API routes.
  return found.filter((route) => !/ \/docs(\/|\*|$)/.test(route) && !CONSOLE_PAGES.test(route));
}

const CONSOLE_PAGES = /^GET \/(?:$|console\/|invitations\/)/;

/** Every route of the server, from its OpenAPI document, after checking the router has no route the document leaves out. */
export async function serverRoutes(server: TestServer): Promise<Route[]> {
  const response = await server.inject({ method: 'GET', url: '/docs/json' });
  assert.equal(response.statusCode, 200);
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(response.json<OpenApi>().paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      routes.push({ method: method.toUpperCase() as Method, path, body: operation.requestBody?.content['application/json']?.schema ?? null });
    }
  }
  const documented = new Set(routes.map((route) => `${route.method} ${route.path.replace(/\{(\w+)\}/g, ':$1').replace(/\/$/, '')}`));
  const undocumented = routerRoutes(server).filter((route) => !documented.has(route.replace(/\/$/, '')));
  assert.deepEqual(undocumented, [], 'every route the router has is in the OpenAPI document, so it is probed');
  return routes;
}
