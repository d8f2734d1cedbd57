// An event opened in place: for changes of roles, privileges, permissions and login settings the
// before and after side by side; for every event its fields and its details.
import { h } from '../dom.ts';
import type { TrailEvent } from '../types.ts';
import { nameOf } from './event-text.ts';

const pretty = (value: unknown): string => (value === undefined ? '—' : JSON.stringify(value, null, 2));

function sideBySide(before: unknown, after: unknown): HTMLElement {
  return h(
    'div',
    { class: 'diff', role: 'group', 'aria-label': 'Before and after' },
    h('figure', { class: 'before' }, h('figcaption', {}, 'Before'), h('pre', {}, pretty(before))),
    h('figure', { class: 'after' }, h('figcaption', {}, 'After'), h('pre', {}, pretty(after))),
  );
}

function listChange(added: unknown, removed: unknown): HTMLElement {
  const items = (value: unknown, sign: string, kind: string) =>
    (Array.isArray(value) ? value : []).map((item) => h('li', { class: kind }, `${sign} ${typeof item === 'string' ? item : nameOf(item)}`));
  return h('ul', { class: 'list-diff', 'aria-label': 'Added and removed' }, items(added, '+', 'added'), items(removed, '−', 'removed'));
}

function change(event: TrailEvent): HTMLElement | null {
  const d = event.details ?? {};
  if ('before' in d && 'after' in d) return sideBySide(d['before'], d['after']);
  if ('added' in d || 'removed' in d) return listChange(d['added'], d['removed']);
  return null;
}

const FIELDS = ['timestamp', 'seq', 'id', 'type', 'category', 'outcome', 'endpoint', 'ipAddress', 'userAgent', 'requestId'] as const;

export function eventDetails(event: TrailEvent): HTMLElement {
  return h(
    'div',
    { class: 'event-details' },
    change(event),
    h('dl', {}, FIELDS.filter((key) => event[key] !== undefined && event[key] !== null).flatMap((key) => [h('dt', {}, key), h('dd', {}, String(event[key]))])),
    h('details', {}, h('summary', {}, 'The whole event (JSON)'), h('pre', {}, JSON.stringify(event, null, 2))),
  );
}
