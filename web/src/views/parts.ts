// Pieces the administration views share: a table of rows, a form that calls the API and reports
// the outcome, and a view's load that shows the API's refusal instead of an empty page.
import { ApiError, describe } from '../api.ts';
import { h, notice, show } from '../dom.ts';

export function table(caption: string, headings: readonly string[], rows: readonly HTMLTableRowElement[], empty: string): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', {}, h('caption', {}, caption), h('thead', {}, h('tr', {}, headings.map((text) => h('th', { scope: 'col' }, text)))), h('tbody', {}, rows)),
  );
}

/**
 * Scopes or privileges (`security-log:read`, …), comma-separated: a narrow column wraps the list
 * between names, never inside one, where a hyphen would otherwise break `security-` from `log:read`.
 */
export function scopeList(names: readonly string[]): HTMLElement {
  return h('span', { class: 'scopes' }, names.flatMap((name, index) => [index === 0 ? null : ', ', h('span', { class: 'scope' }, name)]));
}

export function row(...cells: (Node | string)[]): HTMLTableRowElement {
  return h('tr', {}, cells.map((cell) => h('td', {}, cell)));
}

/**
 * A form whose submit runs `action`; while it runs the submit button is disabled, and its error
 * (or `done`'s success text) is announced in the form's status line.
 */
export function actionForm(label: string, controls: (Node | null)[], submitText: string, action: () => Promise<string | null>): HTMLFormElement {
  const status = h('div', { class: 'status' });
  const submit = h('button', { type: 'submit' }, submitText);
  const form = h('form', {
    class: 'card',
    'aria-label': label,
    onsubmit: (event: Event) => {
      event.preventDefault();
      submit.disabled = true;
      action()
        .then((done) => { show(status, done === null ? null : notice('success', done)); })
        .catch((error: unknown) => { show(status, notice('error', describe(error))); })
        .finally(() => {
          submit.disabled = false;
        });
    },
  });
  form.append(h('h2', {}, label), ...controls.filter((control) => control !== null), submit, status);
  return form;
}

/** Shows a load's refusal in place (403: not allowed; other errors as they come). */
export function loadFailed(into: HTMLElement, error: unknown): void {
  if (error instanceof ApiError && error.status === 403) {
    show(into, notice('error', `You may not see this: ${error.message}`));
    return;
  }
  show(into, notice('error', `This could not be loaded: ${describe(error)}`));
}

/** A secret shown once, with a copy button, until the admin dismisses it (focus then goes to `after`). */
export function secretOnce(title: string, secret: string, warning: string, after: HTMLElement): HTMLElement {
  const value = h('input', { type: 'text', readonly: true, value: secret, class: 'secret', 'aria-label': title, spellcheck: 'false' });
  const copied = h('span', { class: 'copied', role: 'status' });
  const panel = h(
    'section',
    { class: 'card once', 'aria-label': title },
    h('h2', {}, title),
    notice('info', warning),
    h('div', { class: 'secret-row' },
      value,
      h('button', {
        type: 'button',
        onclick: () => {
          value.select();
          navigator.clipboard.writeText(secret).then(
            () => { copied.textContent = 'Copied.'; },
            () => { copied.textContent = 'Select the text and copy it.'; },
          );
        },
      }, 'Copy'),
      copied,
    ),
    h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => {
        panel.remove();
        after.focus();
      },
    }, 'Done: hide it'),
  );
  return panel;
}
