// Small stand-ins for the SIEMs there is no server of here, each checking the exact wire format
// from the product's documentation and able to fail on demand: Splunk's HTTP Event Collector,
// Elasticsearch's _bulk API, and a signed webhook. All listen on 127.0.0.1.
import { createHmac, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';

export interface Receiver {
  readonly url: string;
  /** What was accepted, in arrival order. */
  readonly accepted: unknown[];
  /** Every request's problems with the wire format (should stay empty). */
  readonly violations: string[];
  requests: number;
  close(): Promise<void>;
}

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ host: '127.0.0.1', port: 0 });
}

function textParser(app: FastifyInstance, type: string): void {
  app.addContentTypeParser(type, { parseAs: 'string' }, (_request, body, done) => { done(null, body); });
}

/** HEC: `POST /services/collector/event`, `Authorization: Splunk <token>`, concatenated event objects. */
export async function startSplunkHec(token: string, options: { failFirst?: number } = {}): Promise<Receiver> {
  const app = Fastify();
  textParser(app, 'application/json');
  const receiver: Receiver = { url: '', accepted: [], violations: [], requests: 0, close: () => app.close() };
  let failures = options.failFirst ?? 0;
  app.post('/services/collector/event', async (request, reply) => {
    receiver.requests += 1;
    if (request.headers.authorization !== `Splunk ${token}`) return reply.code(401).send({ text: 'Invalid authorization', code: 3 });
    if (failures > 0) {
      failures -= 1;
      return reply.code(503).send({ text: 'Server is busy', code: 9 });
    }
    const objects = String(request.body).split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const object of objects) {
      const keys = Object.keys(object).sort().join(',');
      if (keys !== 'event,host,source,sourcetype,time') receiver.violations.push(`HEC event with keys ${keys}`);
      if (typeof object['time'] !== 'number') receiver.violations.push('HEC time is not epoch seconds');
    }
    receiver.accepted.push(...objects);
    return { text: 'Success', code: 0 };
  });
  return Object.assign(receiver, { url: await listen(app) });
}

export interface ElasticOptions {
  /** Ids refused once with a 429 item inside a 200 answer. */
  readonly throttleOnce?: ReadonlySet<string>;
  /** Ids refused with a 400 mapping error every time. */
  readonly reject?: ReadonlySet<string>;
}

/** `_bulk`: NDJSON action and document pairs; `create` with an `_id`; items answer per document. */
export async function startElastic(index: string, options: ElasticOptions = {}): Promise<Receiver & { readonly docs: Map<string, unknown>; conflicts: number; throttled: number }> {
  const app = Fastify();
  textParser(app, 'application/x-ndjson');
  const docs = new Map<string, unknown>();
  const throttle = new Set(options.throttleOnce ?? []);
  const receiver = { url: '', accepted: [] as unknown[], violations: [] as string[], requests: 0, docs, conflicts: 0, throttled: 0, close: () => app.close() };
  app.post('/_bulk', async (request) => {
    receiver.requests += 1;
    if (request.headers['content-type'] !== 'application/x-ndjson') receiver.violations.push(`content-type ${String(request.headers['content-type'])}`);
    const body = String(request.body);
    if (!body.endsWith('\n')) receiver.violations.push('the bulk body does not end with a newline');
    const lines = body.split('\n').filter((line) => line !== '');
    const items: unknown[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const action = JSON.parse(lines[i] ?? '{}') as { create?: { _index?: string; _id?: string } };
      const doc = JSON.parse(lines[i + 1] ?? 'null') as unknown;
      const id = action.create?._id ?? '';
      if (action.create === undefined || action.create._index !== index || id === '') receiver.violations.push(`action ${lines[i] ?? ''}`);
      if (options.reject?.has(id) === true) {
        items.push({ create: { _index: index, _id: id, status: 400, error: { type: 'document_parsing_exception', reason: 'failed to parse' } } });
      } else if (throttle.delete(id)) {
        receiver.throttled += 1;
        items.push({ create: { _index: index, _id: id, status: 429, error: { type: 'es_rejected_execution_exception' } } });
      } else if (docs.has(id)) {
        receiver.conflicts += 1;
        items.push({ create: { _index: index, _id: id, status: 409, error: { type: 'version_conflict_engine_exception' } } });
      } else {
        docs.set(id, doc);
        receiver.accepted.push(doc);
        items.push({ create: { _index: index, _id: id, status: 201, result: 'created' } });
      }
    }
    return { took: 1, errors: items.some((item) => (item as { create: { status: number } }).create.status >= 300), items };
  });
  return Object.assign(receiver, { url: await listen(app) });
}

/** A webhook that checks `X-Sectrail-Signature: sha256=<HMAC of the raw body>`. */
export async function startWebhook(secret: string, options: { failFirst?: number } = {}): Promise<Receiver> {
  const app = Fastify();
  textParser(app, 'application/json');
  const receiver: Receiver = { url: '', accepted: [], violations: [], requests: 0, close: () => app.close() };
  let failures = options.failFirst ?? 0;
  app.post('/hook', async (request, reply) => {
    receiver.requests += 1;
    const body = String(request.body);
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    const given = Buffer.from(String(request.headers['x-sectrail-signature'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      receiver.violations.push('a bad signature');
      return reply.code(401).send();
    }
    if (failures > 0) {
      failures -= 1;
      return reply.code(500).send();
    }
    receiver.accepted.push(...(JSON.parse(body) as { events: unknown[] }).events);
    return reply.code(204).send();
  });
  const url = await listen(app);
  return Object.assign(receiver, { url: `${url}/hook` });
}
