// One event on its way to the sinks: its line in the chosen format, and what sinks and
// checkpoints need of it (date, seq, id, and for some sinks the parsed event). For the native
// format the line is the event's text as served, and date, seq and id are read from that text
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
export function envelopeFields(text: string): { seq: number; id: string; date: string } | null {
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

class LazyLine implements DeliveryLine {
  private parsed: Event | null = null;

  constructor(
    readonly date: string,
    readonly seq: number,
    readonly id: string,
    readonly text: string,
    private readonly raw: string,
  ) {}

  get event(): Event {
    this.parsed ??= JSON.parse(this.raw) as Event;
    return this.parsed;
  }
}

function eagerLine(format: Formatter, event: Event, native: string): DeliveryLine {
  const timestamp = typeof event['timestamp'] === 'string' ? event['timestamp'] : '';
  return { date: timestamp.slice(0, 10), seq: Number(event['seq']), id: String(event['id']), text: format(event, native), event };
}

/** A line from an event's text as served. */
export function lineFromText(format: Formatter, native: boolean, text: string): DeliveryLine {
  const fields = native ? envelopeFields(text) : null;
  if (fields !== null) return new LazyLine(fields.date, fields.seq, fields.id, text, text);
  return eagerLine(format, JSON.parse(text) as Event, text);
}

/** A line from a parsed event (the tail's answer), serialised again for its text: canonical JSON round-trips. */
export function lineFromEvent(format: Formatter, event: Event): DeliveryLine {
  return eagerLine(format, event, JSON.stringify(event));
}
