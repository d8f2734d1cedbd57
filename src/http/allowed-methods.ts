// Which methods a path has. A path some route has, asked with a method none of its routes take,
// is 405 with `Allow`; OPTIONS on it answers 204 with the same `Allow`; only a path that no route
// has is 404. (HEAD is answered wherever GET is: fastify adds it to every GET route.)
import type { FastifyInstance } from 'fastify';
import { SectrailError } from '../core/errors.ts';
import { sendError } from './error-handler.ts';

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
/** The router's limit on a path parameter: a longer one matches no route. */
export const MAX_PARAM_LENGTH = 200;

type Segment = { readonly literal: string } | { readonly param: true } | { readonly rest: true };

interface Pattern {
  readonly method: string;
  readonly segments: readonly Segment[];
}

/** A path's segments as the router compares them: no query, no trailing slash, escapes undone. */
function segmentsOf(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}

function compile(url: string): Segment[] {
  return segmentsOf(url).map((segment): Segment => {
    if (segment === '*') return { rest: true };
    if (segment.startsWith(':')) return { param: true };
    return { literal: segment };
  });
}

function matches(pattern: readonly Segment[], path: readonly string[]): boolean {
  for (const [index, segment] of pattern.entries()) {
    if ('rest' in segment) return true;
    const given = path[index];
    if (given === undefined) return false;
    if ('param' in segment ? given === '' || given.length > MAX_PARAM_LENGTH : given !== segment.literal) return false;
  }
  return pattern.length === path.length;
}

/** The routes' patterns by method, as fastify registers them. */
export class RouteMethods {
  private readonly patterns: Pattern[] = [];

  add(method: string, url: string): void {
    this.patterns.push({ method, segments: compile(url) });
  }

  /** The methods some route of this path takes, in a fixed order; none for a path no route has. */
  allowedFor(url: string): string[] {
    const path = segmentsOf(url.split('?')[0] ?? '');
    const methods = new Set(this.patterns.filter((pattern) => matches(pattern.segments, path)).map((pattern) => pattern.method));
    return METHOD_ORDER.filter((method) => methods.has(method));
  }
}

/** Registers every route's methods as it is added, and answers what no route took: 404, 405 or OPTIONS. */
export function installMethodRouting(app: FastifyInstance): void {
  const routes = new RouteMethods();
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.add(method, route.url);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const allowed = routes.allowedFor(request.url);
    // The router turned down a path its routes would take with this very method (a parameter too
    // long, say): nothing here can be told apart from an unknown path.
    if (allowed.length === 0 || allowed.includes(request.method)) return sendError(reply, new SectrailError('NOT_FOUND', 'No such endpoint.'));
    reply.header('Allow', [...allowed, 'OPTIONS'].join(', '));
    if (request.method === 'OPTIONS') return reply.code(204).send();
    return sendError(reply, new SectrailError('METHOD_NOT_ALLOWED', `This path does not take ${request.method}; it takes ${allowed.join(', ')}.`));
  });
}
