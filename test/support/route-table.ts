// The routes a server registers, caught as it registers them (fastify's initialization channel,
// then an onRoute hook), and which of them requests reached, with the statuses they answered: so
// a test can go through every route, a route added later included, and prove it did.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance } from 'fastify';

export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly const?: unknown;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly pattern?: string;
}

export interface RouteEntry {
  readonly method: string;
  /** The route's pattern, as `request.routeOptions.url` names it: `/api/users/:id/role`. */
  readonly url: string;
  readonly body: JsonSchema | null;
  readonly params: JsonSchema | null;
}

export interface RouteTable {
  /** Every route of the servers built since record() was called. */
  readonly routes: RouteEntry[];
  /** `METHOD url` of a route → the statuses it answered. */
  readonly reached: Map<string, Set<number>>;
  /** Stops catching new servers (the routes already caught stay). */
  stop(): void;
}

/** Published by fastify with each new instance, before any route is added to it. */
const INITIALIZATION = 'fastify.initialization';

export const routeKey = (method: string, url: string): string => `${method} ${url}`;

interface RouteSchema {
  readonly body?: JsonSchema;
  readonly params?: JsonSchema;
}

/** Catches the routes of every fastify instance created from now on, until stop(). */
export function recordRoutes(): RouteTable {
  const routes: RouteEntry[] = [];
  const reached = new Map<string, Set<number>>();
  const onInstance = (message: unknown): void => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (options) => {
      const schema = (options.schema ?? {}) as RouteSchema;
      for (const method of [options.method].flat()) {
        routes.push({ method, url: options.url, body: schema.body ?? null, params: schema.params ?? null });
      }
    });
    fastify.addHook('onResponse', async (request, reply) => {
      const url = request.routeOptions.url;
      if (url === undefined) return;
      const key = routeKey(request.method, url);
      const statuses = reached.get(key) ?? new Set<number>();
      statuses.add(reply.statusCode);
      reached.set(key, statuses);
    });
  };
  subscribe(INITIALIZATION, onInstance);
  return {
    routes,
    reached,
    stop: () => {
      unsubscribe(INITIALIZATION, onInstance);
    },
  };
}
