// RFC 8785 (JCS) canonical JSON: one byte-exact text for a value, so an event is serialised once,
// stored as text, spliced into responses as is, and hashed the same way by anyone who verifies it.
import canonicalize from 'canonicalize';

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON representation');
  return text;
}
