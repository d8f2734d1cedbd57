// docs/errors.md is checked against the code in both directions: every code in ERROR_CODES has a
// row, every row names a code that exists, and each row's status is the one ERROR_STATUS gives it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { markdownTables } from './support/markdown-table.ts';
import { ERROR_CODES } from '../src/core/errors.ts';
import { ERROR_STATUS } from '../src/http/error-status.ts';

const DOC_PATH = 'docs/errors.md';

interface DocRow {
  readonly code: string;
  readonly status: string;
  readonly when: string;
}

function documentedErrors(): DocRow[] {
  const text = readFileSync(new URL(`../${DOC_PATH}`, import.meta.url), 'utf8');
  const tables = markdownTables(text).filter((table) => table.header[0] === 'code');
  assert.equal(tables.length, 1, `${DOC_PATH} must have exactly one table whose first column is "code"`);
  const table = tables[0]!;
  assert.deepEqual(table.header, ['code', 'http status', 'when'], `${DOC_PATH}: unexpected columns`);
  return table.rows.map((row, index) => {
    const match = /^`([A-Z][A-Z0-9_]*)`$/.exec(row[0] ?? '');
    assert.ok(match, `${DOC_PATH}: row ${index + 1} does not start with a code in backticks: ${JSON.stringify(row[0])}`);
    return { code: match[1]!, status: row[1] ?? '', when: row[2] ?? '' };
  });
}

test('every error code in the code has a row in docs/errors.md', () => {
  const documented = new Set(documentedErrors().map((row) => row.code));
  const missing = ERROR_CODES.filter((code) => !documented.has(code));
  assert.deepEqual(missing, [], `codes missing from ${DOC_PATH}`);
});

test('every error code in docs/errors.md exists in the code', () => {
  const known = new Set<string>(ERROR_CODES);
  const unknown = documentedErrors()
    .map((row) => row.code)
    .filter((code) => !known.has(code));
  assert.deepEqual(unknown, [], `codes in ${DOC_PATH} that src/core/errors.ts does not define`);
});

test('docs/errors.md lists each code once', () => {
  const codes = documentedErrors().map((row) => row.code);
  const repeated = codes.filter((code, index) => codes.indexOf(code) !== index);
  assert.deepEqual(repeated, []);
});

test('docs/errors.md gives each code the HTTP status that ERROR_STATUS maps it to', () => {
  const statuses: Record<string, number> = ERROR_STATUS;
  const wrong = documentedErrors()
    .filter((row) => row.code in statuses)
    .filter((row) => !/^\d{3}$/.test(row.status) || Number(row.status) !== statuses[row.code])
    .map((row) => `${row.code}: doc says ${JSON.stringify(row.status)}, code says ${statuses[row.code]}`);
  assert.deepEqual(wrong, []);
});

test('every row of docs/errors.md says when its error happens', () => {
  const unexplained = documentedErrors()
    .filter((row) => row.when.length === 0)
    .map((row) => row.code);
  assert.deepEqual(unexplained, []);
});
