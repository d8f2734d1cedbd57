// The OpenAPI document (GET /docs/json) describes every operation for the tools that read it: each
// has a unique operationId (a client generator's method name), tags from the document's own list
// (the explorer's sections), and its summary.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from './support/test-server.ts';

interface Operation {
  readonly operationId?: unknown;
  readonly tags?: unknown;
  readonly summary?: unknown;
}

interface Document {
  readonly tags?: readonly { readonly name: string; readonly description?: string }[];
  readonly paths: Record<string, Record<string, Operation>>;
}

const METHODS = new Set(['get', 'head', 'post', 'put', 'patch', 'delete', 'options']);

let server: TestServer;
let document: Document;

before(async () => {
  server = await startTestServer();
  const response = await server.inject({ method: 'GET', url: '/docs/json' });
  assert.equal(response.statusCode, 200);
  document = response.json<Document>();
});

after(async () => {
  await server.close();
});

function operations(): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]): [string, Operation] => [`${method.toUpperCase()} ${path}`, operation]),
  );
}

test('gives every operation an operationId that no other operation has', () => {
  const all = operations();
  assert.ok(all.length >= 30, `${all.length} operations`);
  const ids = new Map<string, string[]>();
  for (const [name, operation] of all) {
    assert.ok(typeof operation.operationId === 'string' && /^[a-z][A-Za-z0-9]+$/.test(operation.operationId), `${name} has an operationId: ${String(operation.operationId)}`);
    ids.set(operation.operationId, [...(ids.get(operation.operationId) ?? []), name]);
  }
  const shared = [...ids].filter(([, names]) => names.length > 1);
  assert.deepEqual(shared, []);
});

test('tags every operation with tags the document lists and describes', () => {
  const listed = new Map((document.tags ?? []).map((tag) => [tag.name, tag.description ?? '']));
  for (const [name, description] of listed) assert.ok(description.length > 0, `the tag ${name} is described`);
  const used = new Set<string>();
  for (const [name, operation] of operations()) {
    assert.ok(Array.isArray(operation.tags) && operation.tags.length > 0, `${name} has tags`);
    for (const tag of operation.tags as unknown[]) {
      assert.ok(typeof tag === 'string' && listed.has(tag), `${name}: the tag ${String(tag)} is in the document's list`);
      used.add(tag);
    }
  }
  assert.deepEqual([...listed.keys()].filter((tag) => !used.has(tag)), [], 'every listed tag is used');
});

test('keeps a summary on every operation', () => {
  for (const [name, operation] of operations()) assert.ok(typeof operation.summary === 'string' && operation.summary.length > 0, `${name} has a summary`);
});
