// Events per hour of the day, stacked by category, with failed sign-ins in a colour of their own:
// an SVG drawn from the loaded events at the width it is shown, so that its labels keep their size
// on a phone instead of shrinking with a scaled drawing; with a text summary for screen readers.
import type { TrailEvent } from '../types.ts';
import { isFailedLogin } from './event-text.ts';

const SVG = 'http://www.w3.org/2000/svg';
export const FAILED_LOGINS = 'failed sign-ins';

/** The drawing's height in CSS pixels (the stylesheet gives the chart the same). */
const HEIGHT = 180;
/** Room above the bars for half of the top label, and below them for the hour labels. */
const TOP = 10;
const BOTTOM = 22;
/** Space between a label and its neighbour or what it names. */
const GAP = 6;

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

/** A label's width as drawn: measured in the chart itself, whose font the stylesheet sets. */
function measured(plot: SVGGElement, text: string): number {
  const probe = svg('text', { class: 'axis' }, text);
  plot.append(probe);
  const width = probe.getComputedTextLength();
  probe.remove();
  return Math.ceil(width);
}

/** Draws the bars and the axes for a chart `width` CSS pixels wide (one unit of the drawing is one pixel). */
function draw(plot: SVGGElement, width: number, series: readonly string[], hours: readonly Map<string, number>[]): void {
  plot.replaceChildren();
  const max = Math.max(1, ...hours.map((counts) => [...counts.values()].reduce((sum, count) => sum + count, 0)));
  // The count labels sit left of the bars, as wide as the widest needs; the hour labels every
  // third hour, or fewer where that many would run into each other.
  const left = measured(plot, String(max)) + 2 * GAP;
  const slot = (width - left) / 24;
  const hourLabel = measured(plot, '00h') + GAP;
  const step = [3, 6, 12].find((hoursApart) => hoursApart * slot >= hourLabel) ?? 24;
  const base = HEIGHT - BOTTOM;
  for (const [y, text] of [[TOP, String(max)], [base, '0']] as const) {
    plot.append(svg('text', { x: left - GAP, y, class: 'axis', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, text));
  }
  hours.forEach((counts, hour) => {
    let y = base;
    for (const [index, name] of series.entries()) {
      const count = counts.get(name) ?? 0;
      if (count === 0) continue;
      const barHeight = ((base - TOP) * count) / max;
      y -= barHeight;
      const rect = svg('rect', {
        x: left + hour * slot + 1,
        y,
        width: Math.max(1, slot - 2),
        height: barHeight,
        class: name === FAILED_LOGINS ? 'series failed' : `series s${String(index % 8)}`,
      });
      rect.append(svg('title', {}, `${String(hour).padStart(2, '0')}:00 ${name}: ${String(count)}`));
      plot.append(rect);
    }
    if (hour % step === 0) plot.append(svg('text', { x: left + hour * slot + 1, y: HEIGHT - 4, class: 'axis' }, `${String(hour).padStart(2, '0')}h`));
  });
}

export function hourlyChart(events: readonly TrailEvent[]): HTMLElement {
  const { series, hours } = hourlyCounts(events);
  const chart = svg('svg', { role: 'img', class: 'chart' });
  chart.append(svg('title', {}, `Events per hour, UTC, stacked by category; ${String(events.length)} in all`));
  const plot = svg('g', {});
  chart.append(plot);
  // Drawn once the chart has a width, and again when it changes (a phone turned, a window
  // resized); before the first paint, so it never shows empty.
  let drawnWidth = 0;
  new ResizeObserver((entries) => {
    const width = Math.floor(entries[0]?.contentRect.width ?? 0);
    if (width === 0 || width === drawnWidth) return;
    drawnWidth = width;
    draw(plot, width, series, hours);
  }).observe(chart);
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
