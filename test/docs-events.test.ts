// docs/events.md is checked against the code in both directions: one row per type of
// EVENT_CATALOGUE with its category and every field of its details, and the envelope's fields as
// toEnvelope builds them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { markdownTables, type MarkdownTable } from './support/markdown-table.ts';
import { CATEGORIES, EVENT_CATALOGUE, EVENT_TYPES, isEventType } from '../src/core/events/catalogue.ts';
import { draftEvent, toEnvelope, type RequestContext } from '../src/core/events/envelope.ts';

const DOC_PATH = 'docs/events.md';

/** The one table of the doc whose header is exactly `columns`. */
function tableWithColumns(columns: readonly string[]): MarkdownTable {
  const text = readFileSync(new URL(`../${DOC_PATH}`, import.meta.url), 'utf8');
  const tables = markdownTables(text).filter((table) => JSON.stringify(table.header) === JSON.stringify(columns));
  assert.equal(tables.length, 1, `${DOC_PATH} must have exactly one table with the columns ${columns.join(' | ')}`);
  return tables[0]!;
}

/** The name in a `name` cell; fails the test, naming the row, when the cell is anything else. */
function backticked(cell: string | undefined, what: string, index: number): string {
  const match = /^`([^`]+)`$/.exec(cell ?? '');
  assert.ok(match, `${DOC_PATH}: ${what} row ${index + 1} does not start with a name in backticks: ${JSON.stringify(cell)}`);
  return match[1]!;
}

interface EventRow {
  readonly type: string;
  readonly category: string;
  readonly details: string;
  readonly description: string;
}

function documentedEvents(): EventRow[] {
  return tableWithColumns(['type', 'category', 'details', 'description']).rows.map((row, index) => ({
    type: backticked(row[0], 'event', index),
    category: (row[1] ?? '').replaceAll('`', ''),
    details: row[2] ?? '',
    description: row[3] ?? '',
  }));
}

function documentedEnvelopeFields(): string[] {
  return tableWithColumns(['field', 'type', 'meaning']).rows.map((row, index) => backticked(row[0], 'envelope', index));
}

/** The top-level fields of a type's details, from its JSON Schema. */
function detailsFields(type: keyof typeof EVENT_CATALOGUE): string[] {
  const schema = EVENT_CATALOGUE[type].details as { readonly properties?: Readonly<Record<string, unknown>> };
  return Object.keys(schema.properties ?? {});
}

const duplicates = (values: readonly string[]) => values.filter((value, index) => values.indexOf(value) !== index);

test('every event type in the catalogue has a row in docs/events.md', () => {
  const documented = new Set(documentedEvents().map((row) => row.type));
  const missing = EVENT_TYPES.filter((type) => !documented.has(type));
  assert.deepEqual(missing, [], `types missing from ${DOC_PATH}`);
});

test('every event type in docs/events.md exists in the catalogue', () => {
  const unknown = documentedEvents()
    .map((row) => row.type)
    .filter((type) => !isEventType(type));
  assert.deepEqual(unknown, [], `types in ${DOC_PATH} that EVENT_CATALOGUE does not define`);
});

test('docs/events.md lists each event type once', () => {
  assert.deepEqual(duplicates(documentedEvents().map((row) => row.type)), []);
});

test('docs/events.md gives each event type the category of the catalogue', () => {
  const wrong = documentedEvents().flatMap((row) =>
    isEventType(row.type) && row.category !== EVENT_CATALOGUE[row.type].category
      ? [`${row.type}: doc says ${JSON.stringify(row.category)}, catalogue says ${EVENT_CATALOGUE[row.type].category}`]
      : [],
  );
  assert.deepEqual(wrong, []);
});

test('docs/events.md names every field of the details of each type', () => {
  const missing = documentedEvents().flatMap((row) => {
    if (!isEventType(row.type)) return [];
    const named = new Set([...row.details.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.replace(/\[\]$/, '')));
    return detailsFields(row.type)
      .filter((field) => !named.has(field))
      .map((field) => `${row.type}: details.${field}`);
  });
  assert.deepEqual(missing, []);
});

test('every row of docs/events.md describes its event', () => {
  const undescribed = documentedEvents()
    .filter((row) => row.description.length === 0)
    .map((row) => row.type);
  assert.deepEqual(undescribed, []);
});

test('docs/events.md documents exactly the fields of the event envelope', () => {
  const context: RequestContext = { actor: null, ipAddress: null, userAgent: null, endpoint: null, requestId: null };
  const envelope = toEnvelope(draftEvent('logout', context, {}), { id: 'id', seq: 1, timestampMs: 0 });
  const fields = documentedEnvelopeFields();
  assert.deepEqual(duplicates(fields), []);
  assert.deepEqual([...fields].sort(), Object.keys(envelope).sort());
});

test('docs/events.md names every category of the catalogue', () => {
  const text = readFileSync(new URL(`../${DOC_PATH}`, import.meta.url), 'utf8');
  const missing = CATEGORIES.filter((category) => !text.includes(`\`${category}\``));
  assert.deepEqual(missing, []);
});
