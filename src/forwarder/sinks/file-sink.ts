// `file:<path>`: NDJSON appended to a file per day when the path holds `{date}` (the event's UTC
// date), else to one file. Appended, never truncated; each batch is fsynced before it counts as
// delivered, so a checkpoint never runs ahead of the disk. A sealed day's digest is kept beside
// its file.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DeliveryLine, Sink } from './sink.ts';

export class FileSink implements Sink {
  private readonly open = new Map<string, number>();

  constructor(private readonly pathTemplate: string) {}

  private fileFor(date: string): number {
    const path = this.pathTemplate.replaceAll('{date}', date);
    let fd = this.open.get(path);
    if (fd === undefined) {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(path, 'a', 0o640);
      this.open.set(path, fd);
    }
    return fd;
  }

  deliver(lines: readonly DeliveryLine[]): Promise<void> {
    const byFile = new Map<number, string[]>();
    for (const line of lines) {
      const fd = this.fileFor(line.date);
      const texts = byFile.get(fd) ?? [];
      texts.push(`${line.text}\n`);
      byFile.set(fd, texts);
    }
    for (const [fd, texts] of byFile) {
      const bytes = Buffer.from(texts.join(''));
      for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    }
    return Promise.resolve();
  }

  /** `<day's file>.digest.json`, written atomically; `sectrail verify` takes the pair as they are. */
  keepDigest(date: string, digest: unknown): Promise<void> {
    const path = `${this.pathTemplate.replaceAll('{date}', date)}.digest.json`;
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    const fd = openSync(temporary, 'w', 0o640);
    try {
      writeSync(fd, `${JSON.stringify(digest)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const fd of this.open.values()) closeSync(fd);
    this.open.clear();
    return Promise.resolve();
  }
}
