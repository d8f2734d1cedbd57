// docs/events.md is checked against the code in both directions: one row per type of
// EVENT_CATALOGUE with its category and every field of its details, the envelope's fields as
// toEnvelope builds them, and one example envelope per type that the catalogue's schemas accept.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { examplesIn, type Example } from './support/event-examples.ts';
import { markdownTables, type MarkdownTable } from './support/markdown-table.ts';
import { CATEGORIES, detailsErrors, EVENT_CATALOGUE, EVENT_TYPES, isEventType } from '../src/core/events/catalogue.ts';
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

// The "## Examples" section: one `### <type>` heading per type of the catalogue, each followed by a
// JSON code block holding a whole envelope of that type. The checker takes the page's text, so the
// tests below can also show that it catches a broken page.

const ENVELOPE_FIELDS = Object.keys(
  toEnvelope(draftEvent('logout', { actor: null, ipAddress: null, userAgent: null, endpoint: null, requestId: null }, {}), {
    id: 'id',
    seq: 1,
    timestampMs: 0,
  }),
).sort();

/** What is wrong with one example: its JSON, its envelope, its type, category and details. */
function exampleErrors(example: Example): string[] {
  const where = `example ${example.type}`;
  if (example.json === null) return [`${where}: no json code block`];
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(example.json) as Record<string, unknown>;
  } catch (error) {
    return [`${where}: does not parse: ${(error as Error).message}`];
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return [`${where}: not an object`];
  const problems: string[] = [];
  const fields = Object.keys(event).sort();
  if (JSON.stringify(fields) !== JSON.stringify(ENVELOPE_FIELDS)) problems.push(`${where}: fields ${fields.join(',')} are not the envelope's`);
  if (event['type'] !== example.type) problems.push(`${where}: its type is ${JSON.stringify(event['type'])}`);
  if (!isEventType(example.type)) return problems;
  if (event['category'] !== EVENT_CATALOGUE[example.type].category) problems.push(`${where}: category ${JSON.stringify(event['category'])}`);
  if (!['success', 'failure'].includes(event['outcome'] as string)) problems.push(`${where}: outcome ${JSON.stringify(event['outcome'])}`);
  if (!Number.isInteger(event['seq']) || Number.isNaN(Date.parse(String(event['timestamp'])))) problems.push(`${where}: seq or timestamp malformed`);
  problems.push(...detailsErrors(example.type, event['details']).map((error) => `${where}: details ${error}`));
  return problems;
}

/** Everything wrong with the page's examples, both directions: a type without one, one without a type. */
function exampleProblems(markdown: string): string[] {
  const examples = examplesIn(markdown);
  if (examples === null) return ['no "## Examples" section'];
  const types = examples.map((example) => example.type);
  return [
    ...EVENT_TYPES.filter((type) => !types.includes(type)).map((type) => `no example of ${type}`),
    ...types.filter((type) => !isEventType(type)).map((type) => `an example of ${type}, which the catalogue does not define`),
    ...[...new Set(duplicates(types))].map((type) => `more than one example of ${type}`),
    ...examples.flatMap(exampleErrors),
  ];
}

const docText = () => readFileSync(new URL(`../${DOC_PATH}`, import.meta.url), 'utf8');

test('docs/events.md has exactly one example of each event type, and none of a type the catalogue lacks', () => {
  assert.deepEqual(exampleProblems(docText()).filter((problem) => !problem.startsWith('example ')), []);
});

test('every example in docs/events.md is a whole envelope of its type, category and details schema', () => {
  assert.deepEqual(exampleProblems(docText()).filter((problem) => problem.startsWith('example ')), []);
});

/**
 * The page with one change in its examples (the envelope section above them is left alone); fails
 * when the text to change is not there, so that the checks below keep checking something.
 */
function changed(from: string | RegExp, to: string): string {
  const text = docText();
  const start = text.indexOf('## Examples\n');
  assert.ok(start >= 0, 'the doc has no examples section');
  const examples = text.slice(start);
  const result = examples.replace(from, to);
  assert.notEqual(result, examples, `the examples no longer hold ${String(from)}`);
  return text.slice(0, start) + result;
}

/** The problems a changed page has that the page itself does not: what the change introduced. */
function introduced(text: string): string[] {
  const before = new Set(exampleProblems(docText()));
  return exampleProblems(text).filter((problem) => !before.has(problem));
}

test('the example checks catch an unknown type, a missing one and a duplicate', () => {
  assert.deepEqual(introduced(changed(/^### logout$/m, '### logout.forced')), [
    'no example of logout',
    'an example of logout.forced, which the catalogue does not define',
    'example logout.forced: its type is "logout"',
  ]);
  const block = /^### group\.created\n[\s\S]*?^```\n/m.exec(docText())?.[0] ?? '';
  assert.deepEqual(introduced(changed('## Examples\n', `## Examples\n\n${block}`)), ['more than one example of group.created']);
  assert.deepEqual(introduced(changed('## Examples\n', '## Samples\n')), ['no "## Examples" section']);
});

test('the example checks catch a broken envelope, a wrong category and details off the schema', () => {
  const one = (from: RegExp, to: string) => introduced(changed(from, to));
  assert.match(one(/"seq": \d+,\n/, '').join('\n'), /fields .* are not the envelope's/);
  assert.match(one(/"category": "group",/, '"category": "access",').join('\n'), /^example group\.created: category "access"$/m);
  assert.match(one(/"reason": "throttled"/, '"reason": "bored"').join('\n'), /^example login\.failed: details \/reason/m);
  assert.match(one(/"scopes": \["platform:admin"\]\}/, '"scopes": "platform:admin"}').join('\n'), /^example token\.created: details \/token\/scopes/m);
  assert.match(one(/"outcome": "failure",/, '"outcome": "failure"').join('\n'), /^example .*: does not parse/m);
  assert.match(one(/^```json\n(?=\{\n {2}"category": "invitation")/m, '```\n').join('\n'), /^example invitation\.created: no json code block$/m);
});
