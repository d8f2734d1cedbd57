// Looking for secrets where they must never be: each secret in clear and in the encodings a careless
// log line or column would hold it in (base64, base64url, hex, URL- and JSON-escaped, and for the
// random ones their raw bytes), in each place as it is and with its percent-escapes undone (a path
// logged as the client sent it, any character of a secret escaped). A hash of a secret is no leak
// and is not looked for.
export interface Secret {
  readonly kind: string;
  readonly value: string;
}

export interface Place {
  readonly name: string;
  readonly bytes: Buffer;
}

/** The forms a secret is searched in, by name. */
export function encodingsOf(secret: string): Map<string, Buffer> {
  const text = Buffer.from(secret, 'utf8');
  const forms = new Map<string, Buffer>([
    ['in clear', text],
    ['base64', Buffer.from(text.toString('base64'))],
    ['base64url', Buffer.from(text.toString('base64url'))],
    ['hex', Buffer.from(text.toString('hex'))],
    ['HEX', Buffer.from(text.toString('hex').toUpperCase())],
    ['URL-encoded', Buffer.from(encodeURIComponent(secret))],
    ['form-encoded', Buffer.from(new URLSearchParams({ s: secret }).toString().slice(2))],
    ['JSON-escaped', Buffer.from(JSON.stringify(secret).slice(1, -1))],
  ]);
  // A random secret's bytes: `sct_`/`sci_` and session secrets are 32 bytes, base64url.
  const random = /^(?:sc[ti]_)?([A-Za-z0-9_-]{43})$/.exec(secret)?.[1];
  if (random !== undefined) {
    const raw = Buffer.from(random, 'base64url');
    forms.set('raw bytes', raw);
    forms.set('raw bytes in hex', Buffer.from(raw.toString('hex')));
    forms.set('raw bytes in base64', Buffer.from(raw.toString('base64')));
  }
  return forms;
}

const ASCII_ESCAPE = /%([0-7][0-9A-Fa-f])/g;

/** A place with its %XX escapes of ASCII undone, escapes of escapes too; null when it holds none. */
function unescaped(place: Place): Place | null {
  let text = place.bytes.toString('latin1');
  if (!new RegExp(ASCII_ESCAPE.source).test(text)) return null;
  for (let round = 0; round < 4; round += 1) text = text.replace(ASCII_ESCAPE, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return { name: `${place.name} (percent-escapes undone)`, bytes: Buffer.from(text, 'latin1') };
}

/** Every (secret, form, place) where a secret was found: `a password (base64) in the store`. */
export function leaksOf(secrets: Iterable<Secret>, places: readonly Place[]): string[] {
  const leaks: string[] = [];
  const searched = places.flatMap((place) => [place, unescaped(place)].filter((candidate): candidate is Place => candidate !== null));
  for (const secret of secrets) {
    for (const [form, bytes] of encodingsOf(secret.value)) {
      for (const place of searched) {
        if (place.bytes.includes(bytes)) leaks.push(`a ${secret.kind} (${form}) in ${place.name}: ${secret.value}`);
      }
    }
  }
  return [...new Set(leaks)];
}
