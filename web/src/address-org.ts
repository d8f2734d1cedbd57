// The org this page's own address names (`acme.example.com` → `acme`), for the pages shown before
// anyone signs in. Read from the address rather than asked of the server: the page already sits on
// that org's address, so naming it tells nobody anything new, where an answer naming an org could.
import { call } from './api.ts';

/** The host's first label, as the server reads it, when the server says the host names an org (`orgNamed`). */
export function orgOfAddress(orgNamed: boolean): string | null {
  return orgNamed ? (window.location.hostname.split('.')[0] ?? null) : null;
}

/** Asks the server whether this address names an org (a question that needs no credential and logs nothing). */
export async function orgOfThisAddress(): Promise<string | null> {
  const { orgNamed } = await call<{ orgNamed: boolean }>('GET', '/api/auth/methods');
  return orgOfAddress(orgNamed);
}
