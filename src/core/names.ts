// Rules for the names people give things (orgs, service accounts, tokens) and for emails. Control
// characters are refused outright: these strings end up in log lines, syslog frames and CEF.
import { invalidRequest } from './errors.ts';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function displayName(value: string, what: string, maxLength = 100): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > maxLength || CONTROL.test(trimmed)) {
    throw invalidRequest(`${what} must be 1 to ${maxLength} printable characters.`);
  }
  return trimmed;
}

export function orgSlug(value: string): string {
  if (!SLUG_PATTERN.test(value)) {
    throw invalidRequest('An org slug is 1 to 63 lowercase letters, digits and inner hyphens.');
  }
  return value;
}

export function emailAddress(value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > 254 || CONTROL.test(email) || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    throw invalidRequest('Not a valid email address.');
  }
  return email;
}
