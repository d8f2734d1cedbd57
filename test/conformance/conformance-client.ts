// Requests to a sectrail server process on 127.0.0.1, each with an X-Request-Id of its own noted in
// a ledger with why it was sent: every event the server logs during a run must trace back to one.
import assert from 'node:assert/strict';

const REQUEST_TIMEOUT_MS = 30_000;

/** Why a request was sent, which says which events it may leave in the log. */
export type Purpose =
  /** A password sign-in: login.succeeded. */
  | 'sign-in'
  /** A token made over HTTP: token.created. */
  | 'token'
  /** A platform change: its one event, if acknowledged. */
  | 'write'
  /** The first read of a walk, a tail or a whole day: one security_log.accessed. */
  | 'read-start'
  /** A page token or cursor followed: nothing. */
  | 'read';

/** A token, a session cookie, or nothing (signing in). */
export type Credential = { readonly token: string } | { readonly cookie: string; readonly csrfToken: string } | null;

export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly requestId: string;
  readonly headers: Headers;
  /** The server's clock (SECTRAIL_CLOCK_START included) from the Date header, to the second. */
  readonly serverMs: number;
}

export interface LedgerEntry {
  readonly purpose: Purpose;
  /** The token the request carried, whose first use the server logs as login.succeeded. */
  readonly token: string | null;
  /** The answer's status; null while none has come. */
  status: number | null;
}

export class ConformanceClient {
  readonly ledger = new Map<string, LedgerEntry>();
  /** The server's clock as its latest answer gave it. */
  latestServerMs = 0;
  private sent = 0;

  constructor(private readonly baseUrl: string) {}

  async post(path: string, body: unknown, credential: Credential, purpose: Purpose): Promise<Answer> {
    this.sent += 1;
    const requestId = `conf-${purpose}-${String(this.sent)}`;
    const token = credential !== null && 'token' in credential ? credential.token : null;
    const session = credential !== null && 'cookie' in credential ? credential : null;
    const entry: LedgerEntry = { purpose, token, status: null };
    this.ledger.set(requestId, entry);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...(session === null ? {} : { cookie: session.cookie, 'x-csrf-token': session.csrfToken }),
      },
      body: JSON.stringify(body),
      // A server that stops answering fails the run instead of holding it open.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    entry.status = response.status;
    assert.equal(response.headers.get('x-request-id'), requestId, 'the server keeps the request id it was given');
    const serverMs = Date.parse(response.headers.get('date') ?? '');
    this.latestServerMs = Math.max(this.latestServerMs, serverMs);
    return { status: response.status, text, requestId, headers: response.headers, serverMs };
  }

  /** A request that must answer `status`. */
  async expect(status: number, path: string, body: unknown, credential: Credential, purpose: Purpose): Promise<Answer> {
    const answer = await this.post(path, body, credential, purpose);
    assert.equal(answer.status, status, `${path} answered ${String(answer.status)}: ${answer.text}`);
    return answer;
  }
}
