// ArcSight CEF (Common Event Format, revision 25): `CEF:0|Vendor|Product|Version|Class ID|Name|
// Severity|Extension`. Header fields escape `\` and `|`, and turn line breaks into spaces;
// extension values escape `\`, `=`, and line breaks as `\n` / `\r`. Every other control
// character (tab, C1 ones such as NEL included), DEL, U+2028 and U+2029 is written as `\uXXXX`
// text (control-escapes.ts), so no value can end a line or start a field of its own.
import { escapeUnsafe } from '../../core/control-escapes.ts';

export function escapeCefHeader(value: string): string {
  return escapeUnsafe(value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r\n|\n|\r/g, ' '));
}

export function escapeCefExtension(value: string): string {
  return escapeUnsafe(value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r/g, '\\r').replace(/\n/g, '\\n'));
}

type Event = Readonly<Record<string, unknown>>;

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function recordOf(value: unknown): Readonly<Record<string, unknown>> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function severityOf(event: Event): number {
  if (event['type'] === 'access.denied') return 6;
  if (event['type'] === 'login.failed') return 5;
  if (event['outcome'] === 'failure') return 5;
  return event['type'] === 'security_log.accessed' ? 1 : 3;
}

/** One event as one CEF line. */
export function toCef(event: Event, productVersion: string): string {
  const user = recordOf(event['user']);
  const details = recordOf(event['details']) ?? {};
  const target = recordOf(details['target']);
  const type = String(event['type']);
  const header = ['CEF:0', 'sectrail', 'sectrail', productVersion, type, type.replaceAll('.', ' ').replaceAll('_', ' '), String(severityOf(event))]
    .map((field, index) => (index === 0 ? field : escapeCefHeader(field)))
    .join('|');
  const extension: [string, string | null][] = [
    ['rt', text(Date.parse(String(event['timestamp'])))],
    ['externalId', text(event['id'])],
    ['cn1Label', 'seq'],
    ['cn1', text(event['seq'])],
    ['cat', text(event['category'])],
    ['outcome', text(event['outcome'])],
    ['suser', text(user?.['name'])],
    ['suid', text(user?.['id'])],
    ['cs1Label', 'actorKind'],
    ['cs1', text(user?.['kind'])],
    ['src', text(event['ipAddress'])],
    ['requestClientApplication', text(event['userAgent'])],
    ['request', text(event['endpoint'])],
    ['cs2Label', 'requestId'],
    ['cs2', text(event['requestId'])],
    ['duser', text(target?.['name'])],
    ['duid', text(target?.['id'])],
    ['cs3Label', 'details'],
    ['cs3', JSON.stringify(details)],
  ];
  const fields = extension.filter(([, value]) => value !== null).map(([key, value]) => `${key}=${escapeCefExtension(value as string)}`);
  return `${header}|${fields.join(' ')}`;
}
