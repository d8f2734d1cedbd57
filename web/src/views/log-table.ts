// The day's events as a table that reads "when, who, what": a row opens its details in place
// (click, Enter or Space). Long days show a page of rows at a time.
import { h } from '../dom.ts';
import type { TrailEvent } from '../types.ts';
import { eventDetails } from './event-details.ts';
import { isFailedLogin, whatHappened, whoActed } from './event-text.ts';

const PAGE = 200;

function eventRow(event: TrailEvent): HTMLTableRowElement[] {
  const detailsRow = h('tr', { class: 'details-row', hidden: true, id: `event-${event.id}` });
  const cell = h('td', { colspan: '6' });
  detailsRow.append(cell);
  const toggle = () => {
    const open = detailsRow.hidden;
    if (open && cell.childElementCount === 0) cell.append(eventDetails(event));
    detailsRow.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
  };
  const button = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': detailsRow.id, onclick: toggle }, whatHappened(event));
  const row = h(
    'tr',
    { class: `event ${event.outcome === 'failure' ? 'failure' : ''} ${isFailedLogin(event) ? 'failed-login' : ''}`, 'data-type': event.type },
    h('td', { class: 'time' }, event.timestamp.slice(11, 23)),
    h('td', {}, whoActed(event)),
    h('td', { class: 'what' }, button),
    h('td', {}, h('code', {}, event.type)),
    h('td', { class: `outcome ${event.outcome}` }, event.outcome),
    h('td', {}, event.ipAddress ?? ''),
  );
  return [row, detailsRow];
}

export function eventTable(events: readonly TrailEvent[]): HTMLElement {
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary' });
  let shown = 0;
  const showMore = () => {
    const next = events.slice(shown, shown + PAGE);
    body.append(...next.flatMap(eventRow));
    shown += next.length;
    more.hidden = shown >= events.length;
    more.textContent = `Show ${String(Math.min(PAGE, events.length - shown))} more (${String(events.length - shown)} not shown)`;
  };
  more.addEventListener('click', showMore);
  showMore();
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', { class: 'events' },
      h('caption', {}, `${String(events.length)} events`),
      h('thead', {}, h('tr', {}, ['Time (UTC)', 'Who', 'What', 'Type', 'Outcome', 'IP address'].map((text) => h('th', { scope: 'col' }, text)))),
      body),
    more,
  );
}
