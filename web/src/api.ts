// The console's one way to the HTTP API: same-origin JSON, the session cookie sent by the browser,
// and the session's CSRF token on every change. Errors keep the API's code and message.
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onSessionLost: () => void = () => undefined;

export function useCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** What to do when a call answers 401 while signed in: the session expired or was ended. */
export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export async function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
  try {
    return await send<T>(method, path, body);
  } catch (error) {
    if (!(await tokenWasStale(method, error))) throw error;
    return send<T>(method, path, body);
  }
}

/**
 * After a 403 to a change: whether the session's CSRF token is no longer the one sent (the cookie
 * was replaced in another tab: signed out and in again), in which case the new one is taken and the
 * change may be sent once more. A refusal with the current token stands.
 */
async function tokenWasStale(method: Method, error: unknown): Promise<boolean> {
  if (method === 'GET' || csrfToken === null || !(error instanceof ApiError) || error.status !== 403) return false;
  const { session } = await send<{ session: { csrfToken?: string } | null }>('GET', '/api/auth/session');
  if (session === null) {
    onSessionLost();
    return false;
  }
  if (session.csrfToken === undefined || session.csrfToken === csrfToken) return false;
  csrfToken = session.csrfToken;
  return true;
}

async function send<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    cache: 'no-store',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed = parseJson(text);
  if (response.ok) return parsed as T;
  const error = errorOf(parsed);
  if (response.status === 401 && csrfToken !== null) onSessionLost();
  throw new ApiError(response.status, error.code, error.message);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function errorOf(body: unknown): { code: string; message: string } {
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  const code = typeof error?.code === 'string' ? error.code : 'UNKNOWN';
  const message = typeof error?.message === 'string' ? error.message : 'The server answered with an error.';
  return { code, message };
}

/** A short sentence for an error, for the page. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
