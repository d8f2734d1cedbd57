// The web console at `/` (and at an invitation's accept link): one page and its two files, with
// the headers that keep it to itself: a strict Content-Security-Policy (no inline script, no other
// origin), no framing, no MIME sniffing, no referrer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { notFound } from '../../core/errors.ts';
import { ErrorBody } from '../schemas.ts';
import { consoleAssets, type ConsoleFile } from './console-assets.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const ASSET_NAME = /^(?:console\.(?:js|css)|verify-worker\.js)$/;
const GZIP = /\bgzip\b/;

/** Whether If-None-Match (a list, possibly weak tags, or `*`) names this representation. */
function matches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/** The headers every page of ours carries: its policy, no framing, no sniffing, no referrer. */
export function guardPage(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('X-Frame-Options', 'DENY')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Referrer-Policy', 'no-referrer');
}

function send(request: FastifyRequest, reply: FastifyReply, file: ConsoleFile, cacheControl: string): FastifyReply {
  guardPage(reply)
    .header('Cross-Origin-Opener-Policy', 'same-origin')
    .header('Cache-Control', cacheControl)
    .header('Vary', 'Accept-Encoding')
    .type(file.contentType);
  const gzipped = GZIP.test(request.headers['accept-encoding'] ?? '');
  const etag = gzipped ? file.gzippedEtag : file.etag;
  reply.header('ETag', etag);
  if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return gzipped ? reply.header('Content-Encoding', 'gzip').send(file.gzipped) : reply.send(file.body);
}

const hidden = { hide: true, response: { 404: ErrorBody } };

export function consoleRoutes(app: FastifyInstance): void {
  const page = async (request: FastifyRequest, reply: FastifyReply) => send(request, reply, (await consoleAssets()).page, 'no-cache');
  app.get('/', { schema: hidden }, page);
  // An invitation's acceptUrl (<public url>/invitations/sci_…) opens the console's accept form.
  app.get('/invitations/:token', { schema: { ...hidden, params: Type.Object({ token: Type.String({ maxLength: 200 }) }) } }, page);
  app.get<{ Params: { name: string } }>(
    '/console/:name',
    { schema: { ...hidden, params: Type.Object({ name: Type.String({ maxLength: 64 }) }) } },
    async (request, reply) => {
      const file = ASSET_NAME.test(request.params.name) ? (await consoleAssets()).files.get(request.params.name) : undefined;
      if (file === undefined) throw notFound('The file');
      return send(request, reply, file, 'no-cache');
    },
  );
}
