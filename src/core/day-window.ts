// UTC calendar days: validating the {year, month, day} a client asks for and mapping days to
// millisecond windows. Pure arithmetic (no Date parsing), so absurd years cannot overflow anything.
import { dateInFuture, invalidDate } from './errors.ts';

const MS_PER_DAY = 86_400_000;

export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** Days since 1970-01-01. */
  readonly epochDay: number;
  /** `YYYY-MM-DD`. */
  readonly iso: string;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since the epoch of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function epochDayOf(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

export function dayFromEpochDay(epochDay: number): CalendarDay {
  const iso = new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return { year, month, day, epochDay, iso };
}

/** The UTC day before a `YYYY-MM-DD` date, in the same form. */
export function dayBefore(iso: string): string {
  return dayFromEpochDay(epochDayOf(Date.parse(`${iso}T00:00:00Z`)) - 1).iso;
}

export function dayStartMs(day: CalendarDay): number {
  return day.epochDay * MS_PER_DAY;
}

export function dayEndMs(day: CalendarDay): number {
  return (day.epochDay + 1) * MS_PER_DAY;
}

/**
 * Checks that integers name a real calendar day from 1970-01-01 up to today (UTC), else throws
 * INVALID_DATE (not a real day, or before 1970) or DATE_IN_FUTURE.
 */
export function calendarDay(year: number, month: number, day: number, nowMs: number): CalendarDay {
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw invalidDate(`${year}-${month}-${day} is not a calendar date on or after 1970-01-01.`);
  }
  const today = epochDayOf(nowMs);
  // Years far beyond today's are in the future whatever their arithmetic says.
  const epochDay = year > 9999 ? Number.POSITIVE_INFINITY : daysFromCivil(year, month, day);
  if (epochDay > today) throw dateInFuture('The requested day has not started yet (UTC).');
  return dayFromEpochDay(epochDay);
}

/** A day may be sealed once it has ended and the grace period (SECTRAIL_SEAL_GRACE_SECONDS) has passed. */
export function isDayClosed(day: CalendarDay, nowMs: number, graceSeconds: number): boolean {
  return nowMs >= dayEndMs(day) + graceSeconds * 1000;
}
