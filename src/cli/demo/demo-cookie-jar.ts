// A small cookie jar for playing a browser with fetch: cookies are scoped by host (with port) and
// path, and expire when told.

interface StoredCookie {
  readonly host: string;
  readonly path: string;
  readonly name: string;
  readonly value: string;
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  return requestPath === cookiePath
    || (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));
}

export class CookieJar {
  readonly #cookies = new Map<string, StoredCookie>();

  store(url: URL, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator);
      let path = url.pathname.slice(0, Math.max(1, url.pathname.lastIndexOf('/')));
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=', 2);
        const lower = key.toLowerCase();
        if (lower === 'path' && value.startsWith('/')) path = value;
        if (lower === 'max-age' && Number(value) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(value) <= Date.now()) expired = true;
      }
      const key = `${url.host} ${path} ${name}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { host: url.host, path, name, value: pair.slice(separator + 1) });
    }
  }

  /** The Cookie header a browser would send to url, or undefined when there is none. */
  header(url: URL): string | undefined {
    const sent = [...this.#cookies.values()].filter((cookie) => cookie.host === url.host && pathMatches(url.pathname, cookie.path));
    return sent.length === 0 ? undefined : sent.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }
}
