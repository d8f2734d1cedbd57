// The demo's HTTP client: one agent per person or script, each with its own user agent and either
// a session cookie (a browser: JSON bodies, and the site's Origin on changes, as a browser sends
// it) or an access token (a script). Every answer's X-Request-Id is kept, so the events this run
// caused can be picked out of the trail afterwards.
import { sendHttp, type HttpAnswer } from './demo-http.ts';

const SECRET_LIKE = /sc[ti]_[A-Za-z0-9_-]+/g;

/** A path as it may be printed: access tokens and invitation secrets cut off. */
export function printablePath(path: string): string {
  return path.replace(SECRET_LIKE, (secret) => `${secret.slice(0, 4)}…`);
}

/** An answer with a status the step did not expect, or no answer at all. */
export class UnexpectedAnswerError extends Error {
  override readonly name = 'UnexpectedAnswerError';

  constructor(
    message: string,
    /** The status that came instead; null when no answer came. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export interface Answer {
  readonly status: number;
  readonly headers: HttpAnswer['headers'];
  /** The JSON body, or null when there is none (204) or it is not JSON. */
  readonly body: unknown;
}

/** A browser keeps a session cookie; a script sends a token, or nothing at all. */
export type Credential =
  | { readonly kind: 'browser' }
  | { readonly kind: 'token'; readonly authorization: string }
  | { readonly kind: 'script' };

export class DemoClient {
  readonly origin: string;

  constructor(
    readonly base: URL,
    /** X-Request-Id of every answer this run received, in order; shared by clients of one run. */
    readonly requestIds: string[] = [],
  ) {
    this.origin = base.origin;
  }

  /** The URL of an API path under the base URL (which may itself have a path, behind a proxy). */
  urlOf(path: string): URL {
    const base = this.base.href.endsWith('/') ? this.base.href : `${this.base.href}/`;
    return new URL(path.replace(/^\//, ''), base);
  }

  agent(userAgent: string, credential: Credential): DemoAgent {
    return new DemoAgent(this, userAgent, credential);
  }
}

function parsed(answer: HttpAnswer): unknown {
  if (!/json/i.test(answer.headers['content-type'] ?? '') || answer.text === '') return null;
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return null;
  }
}

export class DemoAgent {
  private readonly cookies = new Map<string, string>();
  /** The session's CSRF token, as the console keeps it: from the sign-in's answer, or from /api/me. */
  private csrfToken: string | null = null;

  constructor(
    private readonly client: DemoClient,
    private readonly userAgent: string,
    private readonly credential: Credential,
  ) {}

  /** Sends a request and checks its status against the expected ones (the first is the usual one). */
  async call(method: string, path: string, body: unknown, expected: number | readonly number[]): Promise<Answer> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.credential.kind === 'token') headers['authorization'] = this.credential.authorization;
    if (this.credential.kind === 'browser') {
      if (method !== 'GET') headers['origin'] = this.client.origin;
      if (this.cookies.size > 0) headers['cookie'] = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
      if (method !== 'GET' && this.cookies.has('sectrail_session')) {
        // Signed in through SSO, the browser has a cookie but no token yet: a page asks /api/me.
        if (this.csrfToken === null) await this.call('GET', '/api/me', undefined, 200);
        if (this.csrfToken !== null) headers['x-csrf-token'] = this.csrfToken;
      }
    }
    const what = `${method} ${printablePath(path)}`;
    let answer: HttpAnswer;
    try {
      answer = await sendHttp({ method, url: this.client.urlOf(path), headers, body: body === undefined ? null : JSON.stringify(body) });
    } catch (error) {
      throw new UnexpectedAnswerError(`${what} got no answer from ${this.client.origin}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const requestId = answer.headers['x-request-id'];
    if (typeof requestId === 'string') this.client.requestIds.push(requestId);
    this.keepCookies(answer.headers['set-cookie'] ?? []);
    const allowed = typeof expected === 'number' ? [expected] : expected;
    if (!allowed.includes(answer.status)) {
      const retry = answer.headers['retry-after'] === undefined ? '' : ` (Retry-After: ${answer.headers['retry-after']} s)`;
      throw new UnexpectedAnswerError(`${what} answered ${answer.status}${retry}, expected ${allowed.join(' or ')}: ${answer.text.slice(0, 500)}`, answer.status);
    }
    const answerBody = parsed(answer);
    this.keepCsrfToken(answerBody);
    return { status: answer.status, headers: answer.headers, body: answerBody };
  }

  private keepCsrfToken(body: unknown): void {
    const token = typeof body === 'object' && body !== null ? (body as { csrfToken?: unknown }).csrfToken : undefined;
    if (typeof token === 'string') this.csrfToken = token;
  }

  private keepCookies(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const equals = pair.indexOf('=');
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*0\s*$/i.test(attribute));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
      if (name === 'sectrail_session') this.csrfToken = null;
    }
  }
}

/** A string field of a JSON answer, such as the `id` of what a POST created. */
export function stringField(answer: Answer, ...path: readonly string[]): string {
  let value: unknown = answer.body;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string') throw new UnexpectedAnswerError(`the answer has no string ${path.join('.')}: ${JSON.stringify(answer.body)?.slice(0, 300) ?? ''}`);
  return value;
}
