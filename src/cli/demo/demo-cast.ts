// Who takes part in the demo's day: four newcomers with their own browsers and passwords, the
// scripts (a Terraform run, a forgotten cron job, a password guesser, the SIEM), and the run's tag
// that keeps emails and names unique, so the demo can run again against the same server.
import { randomBytes } from 'node:crypto';
import type { Role } from '../../core/platform-model.ts';

export interface Person {
  readonly name: string;
  readonly email: string;
  readonly role: Role;
  /** Generated for the run, never printed. */
  readonly password: string;
  readonly userAgent: string;
}

export const USER_AGENTS = {
  admin: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  guesser: 'python-requests/2.32.3',
  terraform: 'Terraform/1.9.2 (+https://www.terraform.io) terraform-provider-sectrail/0.1.0',
  cron: 'curl/8.8.0',
  siem: 'sectrail-demo (SIEM pull)',
} as const;

export interface Cast {
  /** A few random characters naming this run, in emails and in names that must be unique. */
  readonly tag: string;
  readonly maya: Person;
  readonly liam: Person;
  readonly sofia: Person;
  /** The contractor whose account a password guesser gets throttled. */
  readonly jordan: Person;
  /** An address that is nobody's: a colleague's typo. */
  readonly strayEmail: string;
  readonly strayPassword: string;
  /** What the guesser tries, in order, until the server throttles it. */
  readonly guesses: readonly string[];
}

export function newRunTag(): string {
  return randomBytes(3).toString('hex');
}

function person(name: string, role: Role, userAgent: string, tag: string): Person {
  const local = name.toLowerCase().replace(/[^a-z]+/g, '.');
  return { name, email: `${local}+${tag}@example.com`, role, password: randomBytes(18).toString('base64url'), userAgent };
}

export function castOf(tag: string): Cast {
  return {
    tag,
    maya: person('Maya Okafor', 'writer', USER_AGENTS.firefox, tag),
    liam: person('Liam Chen', 'reader', USER_AGENTS.chrome, tag),
    sofia: person('Sofia Reyes', 'reader', USER_AGENTS.iphone, tag),
    jordan: person('Jordan Blake', 'reader', USER_AGENTS.edge, tag),
    strayEmail: `m.okafor+${tag}@example.com`,
    strayPassword: randomBytes(12).toString('base64url'),
    guesses: ['Summer2025!', 'Welcome123!', 'Jordan2025!', 'P@ssw0rd2025', 'Contractor#1', 'Qwerty!2345', 'Letmein2025!', 'Winter2025!', 'Autumn2025!'],
  };
}
