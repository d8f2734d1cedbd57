// What `sectrail pull` delivers of a day, as a SIEM would receive it: NDJSON files in the native,
// OCSF and CEF formats, and the raw RFC 5424 frames of a syslog-over-TCP sink listening here.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli } from './processes.ts';

export interface ForwarderOutput {
  readonly name: string;
  readonly bytes: Buffer;
}

async function syslogListener(): Promise<{ port: number; received: Buffer[]; close(): Promise<void> }> {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Pulls the day (`YYYY-MM-DD`) from the server with the token, in every format, to files and to syslog; each output with its name. */
export async function pullEverywhere(baseUrl: string, token: string, date: string, dir: string): Promise<ForwarderOutput[]> {
  const tokenFile = join(dir, 'pull.token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const syslog = await syslogListener();
  const outputs: ForwarderOutput[] = [];
  try {
    for (const format of ['native', 'ocsf', 'cef']) {
      const file = join(dir, `${format}-{date}.ndjson`);
      const sinks = ['--sink', `file:${file}`, ...(format === 'cef' ? ['--sink', `syslog+tcp://127.0.0.1:${String(syslog.port)}`] : [])];
      const args = ['pull', '--url', baseUrl, '--token-file', tokenFile, '--date', date, '--format', format, '--state', join(dir, `${format}-state.json`), ...sinks];
      const result = await runCli(args, {});
      assert.equal(result.code, 0, `sectrail pull --format ${format}: ${result.stdout}${result.stderr}`);
      outputs.push({ name: `the forwarder's ${format} file`, bytes: readFileSync(file.replace('{date}', date)) });
      outputs.push({ name: `the forwarder's own output (${format})`, bytes: Buffer.from(result.stdout + result.stderr) });
    }
  } finally {
    await syslog.close();
  }
  outputs.push({ name: 'the syslog frames', bytes: Buffer.concat(syslog.received) });
  for (const output of outputs.filter((candidate) => !candidate.name.includes('own output'))) {
    assert.ok(output.bytes.length > 1000, `${output.name} holds the day (${String(output.bytes.length)} bytes)`);
  }
  return outputs;
}
