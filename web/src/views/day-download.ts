// The loaded day as a file: JSON (the trail's answer for the whole day, as `sectrail verify --day`
// reads it) or NDJSON (one event a line, as `sectrail pull` writes native lines).
import { dayAnswerText, dayLinesText } from '../day-files.ts';
import { downloadFile } from '../download-file.ts';
import { h } from '../dom.ts';
import type { TrailEvent } from '../types.ts';

export function downloadButtons(date: string, events: readonly TrailEvent[], complete: boolean): HTMLElement {
  const answer = () => dayAnswerText(events, complete);
  const lines = () => dayLinesText(events);
  return h(
    'div',
    { class: 'downloads', role: 'group', 'aria-label': 'Download the day' },
    h('button', { type: 'button', class: 'secondary', onclick: () => { downloadFile(`sectrail-${date}.json`, 'application/json', answer()); } }, 'Download JSON'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { downloadFile(`sectrail-${date}.ndjson`, 'application/x-ndjson', lines()); } }, 'Download NDJSON'),
  );
}
