// The log viewer: a UTC day, filters by category, type, user and outcome, the events per hour, the
// events themselves, downloads, and whether the day is sealed and verified in this page.
import { ApiError, call, describe } from '../api.ts';
import { dayBody } from '../day-body.ts';
import { field, h, notice, select, show } from '../dom.ts';
import type { List, Me, Ref, TrailEvent } from '../types.ts';
import { verificationBadge } from './day-verification.ts';
import { downloadButtons } from './day-download.ts';
import { whoActed } from './event-text.ts';
import { hourlyChart } from './log-chart.ts';
import { eventTable } from './log-table.ts';

interface EventType {
  readonly type: string;
  readonly category: string;
  readonly description: string;
}

interface Filters {
  readonly category: string;
  readonly type: string;
  readonly user: string;
  readonly outcome: string;
}

const today = (): string => new Date().toISOString().slice(0, 10);

/** Who an event is about, as one lowercase text: who acted, and whom it names (a target, the email a failed sign-in tried). */
function peopleOf(event: TrailEvent): string {
  const details = event.details ?? {};
  const named = ['target', 'subject', 'owner'].map((key) => details[key]).filter((ref) => typeof ref === 'object' && ref !== null) as Ref[];
  return [whoActed(event), event.user?.email, event.user?.id, details['attemptedEmail'], details['email'], ...named.flatMap((ref) => [ref.name, ref.email, ref.id])]
    .filter((value) => typeof value === 'string')
    .join(' ')
    .toLowerCase();
}

function matches(event: TrailEvent, filters: Filters): boolean {
  if (filters.category !== '' && event.category !== filters.category) return false;
  if (filters.type !== '' && event.type !== filters.type) return false;
  if (filters.outcome !== '' && event.outcome !== filters.outcome) return false;
  if (filters.user !== '' && !peopleOf(event).includes(filters.user.toLowerCase())) return false;
  return true;
}

interface Day {
  readonly events: TrailEvent[];
  /** Whether the day was sealed when read (the trail's `complete`). */
  readonly complete: boolean;
}

async function loadDay(date: string): Promise<Day> {
  const answer = await call<List<TrailEvent> & { complete: boolean }>('POST', '/api/audit-log/security-trail/', dayBody(date));
  return { events: answer.result, complete: answer.complete };
}

function notEnabled(me: Me): HTMLElement {
  return notice('info', `The security log is not enabled for ${me.org.name}. An operator enables it with: sectrail org enable-security-log ${me.org.slug}`);
}

export async function logView(into: HTMLElement, me: Me): Promise<void> {
  if (!me.org.securityLogEnabled) {
    show(into, notEnabled(me));
    return;
  }
  const requested = /[?&]date=(\d{4}-\d{2}-\d{2})/.exec(window.location.hash)?.[1] ?? today();
  // The first day is asked for at once, beside the catalogue, rather than after it.
  let firstDay: Promise<Day> | null = loadDay(requested);
  firstDay.catch(() => undefined);
  let types: EventType[];
  try {
    types = (await call<List<EventType>>('GET', '/api/audit-log/event-types')).result;
  } catch (error) {
    show(into, error instanceof ApiError && error.code === 'FEATURE_NOT_ENABLED' ? notEnabled(me) : notice('error', describe(error)));
    return;
  }
  const date = h('input', { type: 'date', name: 'date', value: requested, min: '1970-01-01', max: today(), required: true });
  const categories = [...new Set(types.map((type) => type.category))].sort();
  const category = select('category', [['', 'All categories'], ...categories.map((name): [string, string] => [name, name])]);
  const type = select('type', [['', 'All types'], ...types.map((item): [string, string] => [item.type, item.type])]);
  const user = h('input', { type: 'search', name: 'user', placeholder: 'Name, email or id' });
  const outcome = select('outcome', [['', 'All outcomes'], ['success', 'success'], ['failure', 'failure']]);
  // The org's log starts on the day it was made: a day before that was never going to be sealed.
  const logStarts = me.org.createdAt.slice(0, 10);
  const summary = h('div', { class: 'day-summary' });
  const results = h('div', { class: 'results' });
  let events: TrailEvent[] = [];
  let shownDay = requested;

  const filtered = () => {
    if (events.length === 0) {
      // Before the org existed the summary has said why the day is empty.
      show(results, shownDay < logStarts ? null : h('p', { class: 'empty' }, `No events on ${shownDay}.`));
      return;
    }
    const filters = { category: category.value, type: type.value, user: user.value.trim(), outcome: outcome.value };
    const shown = events.filter((event) => matches(event, filters));
    show(results, shown.length === 0 ? h('p', { class: 'empty' }, 'No event of this day matches the filters.') : eventTable(shown));
  };
  // Each load has a number: an answer that comes back after a later load began is dropped, so
  // a slow day never shows under another day's date.
  let loads = 0;
  const load = async (chosen: boolean) => {
    const number = (loads += 1);
    const day = date.value;
    // A day chosen in the form goes into the address, for a reload, the back button and a link
    // to it. The first load leaves the address alone: it came from it, and may already be stale.
    if (chosen) history.replaceState(null, '', `#/log?date=${day}`);
    show(summary, h('p', { class: 'loading' }, `Loading ${day}…`));
    show(results);
    events = [];
    let answer: Day;
    try {
      const asked = firstDay !== null && day === requested ? firstDay : loadDay(day);
      firstDay = null;
      answer = await asked;
    } catch (error) {
      if (number !== loads) return;
      show(summary, error instanceof ApiError && error.code === 'FEATURE_NOT_ENABLED' ? notEnabled(me) : notice('error', describe(error)));
      return;
    }
    if (number !== loads) return;
    ({ events } = answer);
    shownDay = day;
    if (day < logStarts && events.length === 0) {
      show(summary, notice('info', `${me.org.name} did not exist yet on ${day}: its log starts on ${logStarts}.`));
      filtered();
      return;
    }
    const badge = h('div', { class: 'verification' }, h('p', { class: 'badge pending' }, 'Checking the seal…'));
    show(summary, hourlyChart(events), h('div', { class: 'day-actions' }, downloadButtons(day, events, answer.complete), badge));
    filtered();
    // User timings, for whoever measures the page (the browser test reports them).
    performance.mark('sectrail:day-shown');
    verificationBadge(day, events, answer.complete).then(
      (result) => {
        show(badge, result);
        performance.mark('sectrail:seal-checked');
      },
      (error: unknown) => { show(badge, notice('error', `The seal could not be checked: ${describe(error)}`)); },
    );
  };
  for (const control of [category, type, outcome]) control.addEventListener('change', filtered);
  user.addEventListener('input', filtered);
  const form = h(
    'form',
    { class: 'filters', 'aria-label': 'Day and filters', onsubmit: (event: Event) => { event.preventDefault(); void load(true); } },
    field('Day (UTC)', date),
    h('button', { type: 'submit' }, 'Show day'),
    field('Category', category),
    field('Type', type),
    field('User', user),
    field('Outcome', outcome),
  );
  show(into, form, summary, results);
  await load(false);
}
