// One event on its way to the sinks: its line in the chosen format, and what sinks and
// checkpoints need of it (date, seq, id, and for some sinks the parsed event). For the native
// format the line is the event's text as served (control characters, U+2028 and U+2029 escaped,
// should it hold any), and date, seq and id are read from the served text
// at their known places (canonical JSON keeps the envelope's keys in one order), so an event
// that no sink needs parsed is never parsed. Anything unexpected falls back to parsing.
import type { Formatter } from './formats/formatter.ts';
import type { DeliveryLine } from './sinks/sink.ts';

type Event = Record<string, unknown>;

const UUID_LENGTH = 36;
const ID_KEY = '"id":"';
const IP_KEY = ',"ipAddress":';
const SEQ_KEY = ',"seq":';
const TIMESTAMP_KEY = ',"timestamp":"';

/** seq, id and the date of a served envelope, read from its text; null when the text is not shaped as expected. */
export function envelopeFields(text: string): LineFields | null {
  // The top-level ipAddress, seq and timestamp are the last of their name: only `user` and
  // `userAgent` follow them, and neither holds such keys.
  const ip = text.lastIndexOf(IP_KEY);
  const seqAt = text.lastIndexOf(SEQ_KEY);
  if (ip < 0 || seqAt < 0) return null;
  const idStart = ip - 1 - UUID_LENGTH;
  if (text.slice(idStart - ID_KEY.length, idStart) !== ID_KEY || text.charCodeAt(ip - 1) !== 0x22) return null;
  const seqEnd = text.indexOf(',', seqAt + SEQ_KEY.length);
  const seq = Number(text.slice(seqAt + SEQ_KEY.length, seqEnd));
  if (!Number.isSafeInteger(seq) || !text.startsWith(TIMESTAMP_KEY, seqEnd)) return null;
  const dateStart = seqEnd + TIMESTAMP_KEY.length;
  return { seq, id: text.slice(idStart, ip - 1), date: text.slice(dateStart, dateStart + 10) };
}

/** A line whose event is parsed again from its native text only if a sink or --verify asks for it. */
class LazyLine implements DeliveryLine {
  private parsed: Event | null = null;

  constructor(
    readonly date: string,
    readonly seq: number,
    readonly id: string,
    readonly text: string,
    private readonly native: string,
  ) {}

  get event(): Event {
    this.parsed ??= JSON.parse(this.native) as Event;
    return this.parsed;
  }
}

/**
 * A line from an event's text as served and its text in the chosen format (the same text for
 * native). The parsed event is not kept with the line: a page's lines live until every sink took
 * them, and keeping ten thousand parsed events that long costs more in garbage collection than
 * parsing again the few that a sink asks for.
 */
export function formattedLine(native: string, text: string): DeliveryLine {
  const { date, seq, id } = envelopeFields(native) ?? fieldsOf(JSON.parse(native) as Event);
  return new LazyLine(date, seq, id, text, native);
}

export interface LineFields {
  readonly date: string;
  readonly seq: number;
  readonly id: string;
}

/** A line made as UTF-8 bytes (a region of a formatted page): its text is decoded only if a sink asks. */
class ByteLine implements DeliveryLine {
  private parsed: Event | null = null;

  constructor(
    readonly date: string,
    readonly seq: number,
    readonly id: string,
    readonly utf8: Buffer,
    private readonly native: string,
  ) {}

  get text(): string {
    return this.utf8.toString('utf8');
  }

  get event(): Event {
    this.parsed ??= JSON.parse(this.native) as Event;
    return this.parsed;
  }
}

/** A line from its fields, its bytes in the chosen format and its event's text as served. */
export function byteLine(fields: LineFields, utf8: Buffer, native: string): DeliveryLine {
  return new ByteLine(fields.date, fields.seq, fields.id, utf8, native);
}

export function fieldsOf(event: Event): LineFields {
  const timestamp = typeof event['timestamp'] === 'string' ? event['timestamp'] : '';
  return { date: timestamp.slice(0, 10), seq: Number(event['seq']), id: String(event['id']) };
}

/** A line from a parsed event (the tail's answer), serialised again for its text: canonical JSON round-trips. */
export function lineFromEvent(format: Formatter, event: Event): DeliveryLine {
  const native = JSON.stringify(event);
  const { date, seq, id } = fieldsOf(event);
  return new LazyLine(date, seq, id, format(event, native), native);
}
