// What the run wrote, as read back from the trail: a count per event type in catalogue order
// (sign-ins split by method and reason), and which types the platform's HTTP side never showed.
import { EVENT_TYPES, type EventType } from '../../core/events/catalogue.ts';
import type { TrailEvent } from './demo-trail.ts';

/**
 * Written by the operator's CLI, the first start, or the server's retention, never over HTTP, so
 * no demo run can cause them.
 */
export const OPERATOR_ONLY_TYPES: readonly EventType[] = ['org.created', 'org.security_log.updated', 'security_log.purged'];

/** The catalogue's types a run over HTTP must produce. */
export const DEMO_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => !OPERATOR_ONLY_TYPES.includes(type));

function breakdown(events: readonly TrailEvent[], field: string): string {
  const counts = new Map<string, number>();
  for (const event of events) {
    const value = String(event.details[field]);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return ` (${[...counts].map(([value, count]) => `${value} ${count}`).join(', ')})`;
}

export function summaryLines(events: readonly TrailEvent[]): string[] {
  const width = Math.max(...EVENT_TYPES.map((type) => type.length));
  const lines = EVENT_TYPES.flatMap((type) => {
    const ofType = events.filter((event) => event.type === type);
    if (ofType.length === 0) return [];
    const detail = type === 'login.succeeded' ? breakdown(ofType, 'method') : type === 'login.failed' ? breakdown(ofType, 'reason') : '';
    return [`  ${type.padEnd(width)} ${String(ofType.length).padStart(3)}${detail}`];
  });
  return [...lines, `  ${'total'.padEnd(width)} ${String(events.length).padStart(3)}`];
}

export function missingTypes(events: readonly TrailEvent[]): EventType[] {
  const seen = new Set(events.map((event) => event.type));
  return DEMO_TYPES.filter((type) => !seen.has(type));
}
