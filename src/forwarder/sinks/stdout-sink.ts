// `stdout`: NDJSON on standard output, a batch acknowledged once the stream took it.
import type { Writable } from 'node:stream';
import type { DeliveryLine, Sink } from './sink.ts';

export class StdoutSink implements Sink {
  constructor(private readonly stream: Writable = process.stdout) {}

  deliver(lines: readonly DeliveryLine[]): Promise<void> {
    if (lines.length === 0) return Promise.resolve();
    const text = lines.map((line) => `${line.text}\n`).join('');
    return new Promise((resolve, reject) => {
      this.stream.write(text, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
