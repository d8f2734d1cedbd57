// RFC 5424 syslog frames: `<PRI>1 TIMESTAMP HOST sectrail - MSGID [sectrail@N id="…" seq="…"
// category="…" outcome="…"] MSG`, facility 13 (log audit), severity 6, or 4 for a failure;
// MSGID is the event type, MSG the event in the chosen format. Over TCP and TLS (RFC 6587 /
// RFC 5425) each frame is sent octet-counted: `LENGTH SP FRAME`. No frame carries a control
// character, U+2028 or U+2029 raw, whatever the event holds: header fields keep printable ASCII
// only, and parameter values and the MSG write them as `\uXXXX` (control-escapes.ts).
import { escapeUnsafe } from '../../core/control-escapes.ts';

const FACILITY_LOG_AUDIT = 13;
const SEVERITY_INFORMATIONAL = 6;
const SEVERITY_WARNING = 4;
export const DEFAULT_ENTERPRISE_NUMBER = 32473;

/** RFC 5424 TIMESTAMP: a full date and time, at most six digits of a second, Z or an offset. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * RFC 5424 §6.3.3: in a PARAM-VALUE, `"`, `\` and `]` are escaped with a backslash. A control
 * character is then written as `\uXXXX`: the RFC reads a backslash before any other character as
 * itself, so a reader sees those six characters in its place.
 */
export function escapeParamValue(value: string): string {
  return escapeUnsafe(value.replace(/[\\"\]]/g, (char) => `\\${char}`));
}

/** PRINTUSASCII without space, at most `max` characters; `-` when nothing is left (the NILVALUE). */
function headerField(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return printable === '' ? '-' : printable;
}

function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

export interface FrameOptions {
  readonly hostname: string;
  readonly enterpriseNumber?: number | undefined;
}

export function syslogFrame(event: Readonly<Record<string, unknown>>, message: string, options: FrameOptions): string {
  const severity = event['outcome'] === 'failure' ? SEVERITY_WARNING : SEVERITY_INFORMATIONAL;
  const pri = FACILITY_LOG_AUDIT * 8 + severity;
  const sdId = `sectrail@${String(options.enterpriseNumber ?? DEFAULT_ENTERPRISE_NUMBER)}`;
  const params = (['id', 'seq', 'category', 'outcome'] as const)
    .map((name) => `${name}="${escapeParamValue(scalar(event[name]))}"`)
    .join(' ');
  const timestamp = typeof event['timestamp'] === 'string' && TIMESTAMP.test(event['timestamp']) ? event['timestamp'] : '-';
  const msgId = headerField(scalar(event['type']), 32);
  // The formats write clean lines already; this keeps the frame clean whatever it is given.
  return `<${String(pri)}>1 ${timestamp} ${headerField(options.hostname, 255)} sectrail - ${msgId} [${sdId} ${params}] ${escapeUnsafe(message)}`;
}

/** RFC 6587 octet counting: the frame's length in bytes, a space, the frame. */
export function octetCounted(frame: string): Buffer {
  const bytes = Buffer.from(frame, 'utf8');
  return Buffer.concat([Buffer.from(`${String(bytes.length)} `), bytes]);
}
