// The security-trail endpoints: a day (streamed whole, or paged), the live tail, and the catalogue.
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { Readable } from 'node:stream';
import { SectrailError } from '../../core/errors.ts';
import { EVENT_CATALOGUE, EVENT_TYPES } from '../../core/events/catalogue.ts';
import type { Principal } from '../../core/principal.ts';
import { authorizeSecurityLogRead } from '../../platform/authorization.ts';
import { readSecurityTrail, tailSecurityTrail, type DayAnswer as Answer } from '../../platform/security-log.ts';
import { principalOf, type Authenticate } from '../authentication.ts';
import type { HttpDeps } from '../http-deps.ts';
import { contextOf } from '../request-context.ts';
import { StreamSlots } from '../stream-slots.ts';
import { DayAnswer, DayBody, DigestAnswer, DigestBody, ErrorBody, KeysAnswer, ProofAnswer, ProofBody, TailAnswer, TailBody } from '../schemas.ts';
import { publishedKeys, readDigest, readProof } from '../../platform/day-proofs.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const CHUNK_ROWS = 100;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

/** The day's events spliced, as stored, between the envelope's opening and closing. */
async function* streamedBody(answer: Extract<Answer, { kind: 'stream' }>): AsyncGenerator<string> {
  yield '{"result":[';
  let separator = '';
  for await (const batch of answer.batches) {
    // Chunks of ~50 KB: V8 keeps large strings in old space, so 1 MB chunks pile up until a full GC
    // and peak memory would grow with the day.
    for (let start = 0; start < batch.length; start += CHUNK_ROWS) {
      yield separator + batch.slice(start, start + CHUNK_ROWS).map((row) => row.json).join(',');
      separator = ',';
    }
  }
  yield `],"nextPageToken":null,"complete":${answer.complete}}`;
}

/** Whole days streaming at once, per caller and per server (a page at a time has no such bound). */
const DAY_STREAMS_PER_CALLER = 2;
const DAY_STREAMS_PER_SERVER = 8;

const callerKey = (principal: Principal) =>
  principal.credential.kind === 'token' ? `token:${principal.credential.token.id}` : `session:${principal.credential.session.id}`;

const tooManyDayStreams = () =>
  new SectrailError(
    'RATE_LIMITED',
    `At most ${String(DAY_STREAMS_PER_CALLER)} whole days stream to one caller at once (and ${String(DAY_STREAMS_PER_SERVER)} from the server): wait for one to end, or page through the day with pageSize.`,
    { retryAfterSeconds: 1 },
  );

export function securityTrailRoutes(app: FastifyInstance, deps: HttpDeps, authenticate: Authenticate): void {
  const dayStreams = new StreamSlots(DAY_STREAMS_PER_CALLER, DAY_STREAMS_PER_SERVER);
  const guard = async (request: Parameters<Authenticate>[0]) => {
    await authenticate(request);
    await authorizeSecurityLogRead(deps, principalOf(request), contextOf(request));
  };

  app.post<{ Body: Static<typeof DayBody> }>(
    '/api/audit-log/security-trail/',
    {
      onRequest: guard,
      schema: {
        operationId: 'readSecurityTrail',
        tags: ['security-log'],
        summary: 'The security events of one UTC day',
        description: 'Without pageSize the whole day is streamed in one answer; with it, pages follow seq.',
        body: DayBody,
        response: { 200: DayAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (request.body.pageSize === undefined && request.body.pageToken === undefined) {
        // Given back when the answer is over, however it ends (a client hanging up included).
        const release = dayStreams.take(callerKey(principal));
        if (release === null) throw tooManyDayStreams();
        reply.raw.once('close', release);
      }
      const answer = await readSecurityTrail(deps, principal, contextOf(request), request.body);
      reply.type(JSON_TYPE);
      if (answer.kind === 'stream') return reply.send(Readable.from(streamedBody(answer)));
      const result = answer.rows.map((row) => row.json).join(',');
      return reply.send(
        `{"result":[${result}],"nextPageToken":${JSON.stringify(answer.nextPageToken)},"complete":${answer.complete}}`,
      );
    },
  );

  app.post<{ Body: Static<typeof TailBody> }>(
    '/api/audit-log/security-trail/tail',
    {
      onRequest: guard,
      schema: {
        operationId: 'tailSecurityTrail',
        tags: ['security-log'],
        summary: 'Follow the live log',
        description: 'Events after the cursor, any day, in seq order; without a cursor, from the start of today (UTC).',
        body: TailBody,
        response: { 200: TailAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const answer = await tailSecurityTrail(deps, principalOf(request), contextOf(request), request.body);
      const result = answer.rows.map((row) => row.json).join(',');
      return reply.type(JSON_TYPE).send(`{"result":[${result}],"cursor":${JSON.stringify(answer.cursor)}}`);
    },
  );

  app.post<{ Body: Static<typeof DigestBody> }>(
    '/api/audit-log/security-trail/digest',
    {
      onRequest: guard,
      schema: {
        operationId: 'readDigest',
        tags: ['security-log'],
        summary: 'The signed digest of a sealed day',
        description: '404 NOT_FOUND until the day is sealed (after it ends and SECTRAIL_SEAL_GRACE_SECONDS pass).',
        body: DigestBody,
        response: { 200: DigestAnswer, 404: ErrorBody, ...errors },
      },
    },
    async (request) => readDigest(deps, principalOf(request), request.body),
  );

  app.post<{ Body: Static<typeof ProofBody> }>(
    '/api/audit-log/security-trail/proof',
    {
      onRequest: guard,
      schema: {
        operationId: 'readProof',
        tags: ['security-log'],
        summary: "An event's inclusion proof in its sealed day's Merkle tree",
        body: ProofBody,
        response: { 200: ProofAnswer, 404: ErrorBody, ...errors },
      },
    },
    async (request) => readProof(deps, principalOf(request), request.body.eventId),
  );

  app.get(
    '/api/audit-log/keys',
    { onRequest: guard, schema: { operationId: 'listSigningKeys', tags: ['security-log'], summary: 'The public keys that sign digests, with their validity windows', response: { 200: KeysAnswer, ...errors } } },
    async () => ({ result: await publishedKeys(deps) }),
  );

  app.get(
    '/api/audit-log/event-types',
    { onRequest: guard, schema: { operationId: 'listEventCatalogue', tags: ['security-log'], summary: 'The event catalogue with the JSON Schema of each type\u2019s details' } },
    async () => ({
      result: EVENT_TYPES.map((type) => ({
        type,
        category: EVENT_CATALOGUE[type].category,
        description: EVENT_CATALOGUE[type].description,
        schema: EVENT_CATALOGUE[type].details,
      })),
    }),
  );
}
