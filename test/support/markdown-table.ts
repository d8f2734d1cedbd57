// GitHub-style markdown tables read into cells, for the tests that hold docs and code in step.

export interface MarkdownTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The cells of a table line; `\|` inside a cell is a literal pipe, not a column break. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll('\\|', '|'));
}

/** Every GitHub-style table in a markdown text: a header line, a separator line, then rows. */
export function markdownTables(text: string): MarkdownTable[] {
  const lines = text.split('\n');
  const tables: MarkdownTable[] = [];
  for (let i = 0; i + 1 < lines.length; i += 1) {
    const headerLine = lines[i] ?? '';
    const separatorLine = lines[i + 1] ?? '';
    if (!headerLine.trim().startsWith('|') || !/^\s*\|?\s*:?-{3,}/.test(separatorLine)) continue;
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && (lines[j] ?? '').trim().startsWith('|'); j += 1) rows.push(cells(lines[j] ?? ''));
    tables.push({ header: cells(headerLine).map((cell) => cell.toLowerCase()), rows });
    i = j - 1;
  }
  return tables;
}
