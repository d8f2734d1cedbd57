// Building the page: elements made with their attributes and children, text always set as text
// (never parsed as HTML), so nothing an event or a name holds can become markup.
type Child = Node | string | null | undefined | false;
type Children = Child | readonly Child[];
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Children[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent: Element, children: Children[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces what an element shows. */
export function show(parent: Element, ...children: Children[]): void {
  parent.replaceChildren();
  append(parent, children);
}

let lastId = 0;
/** An id for pairing a label with its control. */
export function uniqueId(prefix: string): string {
  lastId += 1;
  return `${prefix}-${String(lastId)}`;
}

/** A labelled control: the label names it for screen readers and for clicks. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= uniqueId('field');
  const hintElement = hint === undefined ? null : h('small', { id: `${control.id}-hint` }, hint);
  if (hintElement !== null) control.setAttribute('aria-describedby', hintElement.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintElement);
}

export function select(name: string, options: readonly (readonly [string, string])[], selected?: string): HTMLSelectElement {
  return h('select', { name }, options.map(([value, text]) => h('option', { value, selected: value === selected }, text)));
}

/** A message in a live region: errors are announced, and stand out. */
export function notice(kind: 'error' | 'info' | 'success', text: string): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** An instant as `YYYY-MM-DD hh:mm:ss UTC`; a narrow column may wrap it between the date and the time, never inside either. */
export function utcTime(iso: string | null): HTMLElement | string {
  if (iso === null) return '—';
  return h('time', { class: 'utc', datetime: iso }, h('span', {}, iso.slice(0, 10)), ' ', h('span', {}, `${iso.slice(11, 19)} UTC`));
}
