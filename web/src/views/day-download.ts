// The loaded day as a file: JSON (the events as one array) or NDJSON (one event a line, as
// `sectrail pull` writes native lines).
import { h } from '../dom.ts';
import type { TrailEvent } from '../types.ts';

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => { URL.revokeObjectURL(url); }, 10_000);
}

export function downloadButtons(date: string, events: readonly TrailEvent[]): HTMLElement {
  return h(
    'div',
    { class: 'downloads', role: 'group', 'aria-label': 'Download the day' },
    h('button', { type: 'button', class: 'secondary', onclick: () => { download(`sectrail-${date}.json`, 'application/json', JSON.stringify(events)); } }, 'Download JSON'),
    h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => { download(`sectrail-${date}.ndjson`, 'application/x-ndjson', events.map((event) => JSON.stringify(event)).join('\n') + (events.length === 0 ? '' : '\n')); },
    }, 'Download NDJSON'),
  );
}
