// `file:<path>`: NDJSON appended to a file per day when the path holds `{date}` (the event's UTC
// date), else to one file. Appended, never truncated; each batch is synced to disk before it
// counts as delivered, so a checkpoint never runs ahead of the disk. Writes go through the thread
// pool, so the next batch can be prepared meanwhile. A sealed day's digest is kept beside its file.
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DeliveryLine, Sink } from './sink.ts';

const NEWLINE = Buffer.from('\n');

/** The lines as NDJSON bytes: lines made as bytes are copied as they are, text lines encoded together. */
function ndjson(lines: readonly DeliveryLine[]): Buffer {
  const pieces: Uint8Array[] = [];
  let texts: string[] = [];
  const encodeTexts = () => {
    if (texts.length > 0) pieces.push(Buffer.from(`${texts.join('\n')}\n`));
    texts = [];
  };
  for (const line of lines) {
    if (line.utf8 === undefined) {
      texts.push(line.text);
      continue;
    }
    encodeTexts();
    pieces.push(line.utf8, NEWLINE);
  }
  encodeTexts();
  return Buffer.concat(pieces);
}

export class FileSink implements Sink {
  private readonly open = new Map<string, Promise<FileHandle>>();

  constructor(private readonly pathTemplate: string) {}

  private fileFor(date: string): Promise<FileHandle> {
    const path = this.pathTemplate.replaceAll('{date}', date);
    let file = this.open.get(path);
    if (file === undefined) {
      file = mkdir(dirname(path), { recursive: true }).then(() => open(path, 'a', 0o640));
      this.open.set(path, file);
    }
    return file;
  }

  async deliver(lines: readonly DeliveryLine[]): Promise<void> {
    const byDate = new Map<string, DeliveryLine[]>();
    for (const line of lines) {
      const ofDate = byDate.get(line.date);
      if (ofDate === undefined) byDate.set(line.date, [line]);
      else ofDate.push(line);
    }
    for (const [date, ofDate] of byDate) {
      const file = await this.fileFor(date);
      await file.writeFile(ndjson(ofDate));
      await file.sync();
    }
  }

  /** `<day's file>.digest.json`, written atomically; `sectrail verify` takes the pair as they are. */
  async keepDigest(date: string, digest: unknown): Promise<void> {
    const path = `${this.pathTemplate.replaceAll('{date}', date)}.digest.json`;
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    const file = await open(temporary, 'w', 0o640);
    try {
      await file.writeFile(`${JSON.stringify(digest)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  }

  async close(): Promise<void> {
    const files = [...this.open.values()];
    this.open.clear();
    for (const file of files) await (await file).close();
  }
}
