// Pages formatted on worker threads (format-thread.ts): each page goes to the thread with the
// fewest pages waiting, and each thread answers in the order asked. The threads start with the
// same TypeScript loader as the command itself.
import { Worker } from 'node:worker_threads';
import type { FormatThreadAnswer, FormatThreadData, FormatThreadPage, FormattedPage } from './format-thread.ts';

interface Waiting {
  resolve(page: FormattedPage): void;
  reject(error: Error): void;
}

interface Thread {
  readonly worker: Worker;
  readonly waiting: Waiting[];
}

export class FormatThreadFailed extends Error {
  override readonly name = 'FormatThreadFailed';
}

function bootstrapUrl(): URL {
  const loader = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./format-thread.ts', import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(loader)};\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export class ThreadedFormatter {
  private readonly threads: Thread[];
  private broken: Error | null = null;

  constructor(data: FormatThreadData, threads: number) {
    this.threads = Array.from({ length: threads }, () => this.start(data));
  }

  private start(data: FormatThreadData): Thread {
    // A page's lines are garbage within a page or two: a larger young generation than the
    // default keeps them from being copied into the old one.
    const worker = new Worker(bootstrapUrl(), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    const thread: Thread = { worker, waiting: [] };
    worker.on('message', (answer: FormatThreadAnswer) => {
      const waiting = thread.waiting.shift();
      if (waiting === undefined) return;
      if ('error' in answer) waiting.reject(new FormatThreadFailed(`a page could not be formatted: ${answer.error}`));
      else waiting.resolve(answer.page);
    });
    worker.on('error', (error) => {
      this.fail(new FormatThreadFailed(`a formatting thread failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      this.fail(new FormatThreadFailed(`a formatting thread stopped (exit code ${String(code)})`));
    });
    return thread;
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const thread of this.threads) for (const waiting of thread.waiting.splice(0)) waiting.reject(error);
  }

  format(page: FormatThreadPage): Promise<FormattedPage> {
    if (this.broken !== null) return Promise.reject(this.broken);
    const thread = this.threads.reduce((best, candidate) => (candidate.waiting.length < best.waiting.length ? candidate : best));
    return new Promise((resolve, reject) => {
      thread.waiting.push({ resolve, reject });
      thread.worker.postMessage(page);
    });
  }

  /** Ends the threads once the pages asked for are answered. */
  async close(): Promise<void> {
    if (this.broken !== null) return;
    this.broken = new FormatThreadFailed('the formatter is closed');
    await Promise.all(
      this.threads.map(({ worker }) => {
        const exited = new Promise((resolve) => worker.once('exit', resolve));
        worker.postMessage(null);
        return exited;
      }),
    );
  }
}
