// The examples of docs/events.md: under "## Examples", one `### <type>` heading per type, each
// followed by a JSON code block holding a whole envelope of that type.
import { readFileSync } from 'node:fs';

export interface Example {
  readonly type: string;
  /** The text of the first ```json block under the heading, or null when there is none. */
  readonly json: string | null;
}

export function examplesIn(markdown: string): Example[] | null {
  const start = markdown.search(/^## Examples$/m);
  if (start < 0) return null;
  const rest = markdown.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split(/^### /m)
    .slice(1)
    .map((part) => {
      const heading = (part.split('\n')[0] ?? '').trim().replaceAll('`', '');
      const block = /^```json\n([\s\S]*?)^```$/m.exec(part);
      return { type: heading, json: block?.[1] ?? null };
    });
}

/** The examples of the repository's docs/events.md, parsed. */
export function documentedExamples(): { type: string; envelope: Record<string, unknown> }[] {
  const examples = examplesIn(readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8')) ?? [];
  return examples.map((example) => ({ type: example.type, envelope: JSON.parse(example.json ?? 'null') as Record<string, unknown> }));
}
