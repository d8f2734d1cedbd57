// An ISO timestamp as epoch milliseconds, for OCSF's `time`. A served timestamp is always
// YYYY-MM-DDTHH:MM:SS.mmmZ: its digits are read by position, and the day's start is kept from
// the last timestamp (a page's events share a day), which is much cheaper than Date.parse.
const ZERO = 0x30;
const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
/** The separators of YYYY-MM-DDTHH:MM:SS.mmmZ, by position. */
const SEPARATORS: readonly (readonly [number, number])[] = [
  [4, 0x2d],
  [7, 0x2d],
  [10, 0x54],
  [13, 0x3a],
  [16, 0x3a],
  [19, 0x2e],
  [23, 0x5a],
];

let lastDay = -1;
let lastDayMs = 0;

/** The number written by the decimal digits at [start, end), or -1 if one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let at = start; at < end; at += 1) {
    const digit = text.charCodeAt(at) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The timestamp's epoch milliseconds, NaN if it is not one. In the served form from the year 100
 * on, the parts are taken as Date.UTC takes them (which Date.parse agrees with for every valid
 * one); anything else is left to Date.parse.
 */
export function isoEpochMs(timestamp: string): number {
  if (timestamp.length !== 24) return Date.parse(timestamp);
  for (const [at, code] of SEPARATORS) if (timestamp.charCodeAt(at) !== code) return Date.parse(timestamp);
  const year = digits(timestamp, 0, 4);
  const month = digits(timestamp, 5, 7);
  const day = digits(timestamp, 8, 10);
  const hours = digits(timestamp, 11, 13);
  const minutes = digits(timestamp, 14, 16);
  const seconds = digits(timestamp, 17, 19);
  const ms = digits(timestamp, 20, 23);
  // Date.UTC takes years 0 to 99 as 1900 to 1999; Date.parse does not.
  if (year < 100 || month < 0 || day < 0 || hours < 0 || minutes < 0 || seconds < 0 || ms < 0) return Date.parse(timestamp);
  const dayKey = year * 10_000 + month * 100 + day;
  if (dayKey !== lastDay) {
    lastDayMs = Date.UTC(year, month - 1, day);
    lastDay = dayKey;
  }
  // Date.UTC is the day's start plus the time of day, whatever the parts' ranges.
  return lastDayMs + hours * MS_PER_HOUR + minutes * MS_PER_MINUTE + seconds * MS_PER_SECOND + ms;
}
