// Events per hour of the day, stacked by category, with failed sign-ins in a colour of their own:
// an SVG drawn from the loaded events, with a text summary for screen readers.
import type { TrailEvent } from '../types.ts';
import { isFailedLogin } from './event-text.ts';

const SVG = 'http://www.w3.org/2000/svg';
export const FAILED_LOGINS = 'failed sign-ins';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Per hour, per series (a category, or failed sign-ins apart from their category), a count. */
export function hourlyCounts(events: readonly TrailEvent[]): { series: string[]; hours: Map<string, number>[] } {
  const hours = Array.from({ length: 24 }, () => new Map<string, number>());
  const series = new Set<string>();
  for (const event of events) {
    const hour = Number(event.timestamp.slice(11, 13));
    const name = isFailedLogin(event) ? FAILED_LOGINS : event.category;
    series.add(name);
    const counts = hours[hour];
    counts?.set(name, (counts.get(name) ?? 0) + 1);
  }
  const ordered = [...series].filter((name) => name !== FAILED_LOGINS).sort();
  if (series.has(FAILED_LOGINS)) ordered.push(FAILED_LOGINS);
  return { series: ordered, hours };
}

export function hourlyChart(events: readonly TrailEvent[]): HTMLElement {
  const { series, hours } = hourlyCounts(events);
  const width = 720;
  const height = 180;
  const left = 36;
  const bottom = 20;
  const top = 8;
  const max = Math.max(1, ...hours.map((counts) => [...counts.values()].reduce((sum, count) => sum + count, 0)));
  const slot = (width - left) / 24;
  const chart = svg('svg', { viewBox: `0 0 ${String(width)} ${String(height)}`, role: 'img', class: 'chart' });
  chart.append(svg('title', {}, `Events per hour, UTC, stacked by category; ${String(events.length)} in all`));
  chart.append(svg('text', { x: 0, y: top + 8, class: 'axis' }, String(max)), svg('text', { x: 0, y: height - bottom, class: 'axis' }, '0'));
  hours.forEach((counts, hour) => {
    let y = height - bottom;
    for (const [index, name] of series.entries()) {
      const count = counts.get(name) ?? 0;
      if (count === 0) continue;
      const barHeight = ((height - bottom - top) * count) / max;
      y -= barHeight;
      const rect = svg('rect', {
        x: left + hour * slot + 1,
        y,
        width: slot - 2,
        height: barHeight,
        class: name === FAILED_LOGINS ? 'series failed' : `series s${String(index % 8)}`,
      });
      rect.append(svg('title', {}, `${String(hour).padStart(2, '0')}:00 ${name}: ${String(count)}`));
      chart.append(rect);
    }
    if (hour % 3 === 0) chart.append(svg('text', { x: left + hour * slot, y: height - 4, class: 'axis' }, `${String(hour).padStart(2, '0')}h`));
  });
  const legend = document.createElement('ul');
  legend.className = 'legend';
  series.forEach((name, index) => {
    const item = document.createElement('li');
    item.className = name === FAILED_LOGINS ? 'failed' : `s${String(index % 8)}`;
    const total = hours.reduce((sum, counts) => sum + (counts.get(name) ?? 0), 0);
    item.textContent = `${name}: ${String(total)}`;
    legend.append(item);
  });
  const figure = document.createElement('figure');
  figure.className = 'chart-figure';
  const caption = document.createElement('figcaption');
  caption.textContent = 'Events per hour (UTC), by category';
  figure.append(caption, chart, legend);
  return figure;
}
