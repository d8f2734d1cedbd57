// `syslog+tcp://h:p`, `syslog+tls://h:p` (RFC 5425; `?ca=<file>` trusts a private CA) and
// `syslog+udp://h:p`: RFC 5424 frames (formats/syslog-frame.ts), octet-counted over TCP and TLS,
// one datagram per event over UDP. A stream connects on first use and again after an error; a
// batch counts as delivered once the socket has flushed it.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { connect as connectTls } from 'node:tls';
import { octetCounted, syslogFrame } from '../formats/syslog-frame.ts';
import type { DeliveryLine, Sink } from './sink.ts';

export type SyslogTransport = 'tcp' | 'tls' | 'udp';

export interface SyslogTarget {
  readonly transport: SyslogTransport;
  readonly host: string;
  readonly port: number;
  readonly caFile: string | null;
  readonly enterpriseNumber: number | undefined;
}

const CONNECT_TIMEOUT_MS = 10_000;

export class SyslogSink implements Sink {
  private stream: Socket | null = null;
  private udp: UdpSocket | null = null;
  private readonly host = hostname();

  constructor(private readonly target: SyslogTarget) {}

  private frame(line: DeliveryLine): string {
    return syslogFrame(line.event, line.text, { hostname: this.host, enterpriseNumber: this.target.enterpriseNumber });
  }

  private connect(): Promise<Socket> {
    const { host, port, transport, caFile } = this.target;
    return new Promise((resolve, reject) => {
      const socket =
        transport === 'tls'
          ? connectTls({ host, port, servername: host, ...(caFile === null ? {} : { ca: readFileSync(caFile) }) })
          : connectTcp({ host, port });
      const timer = setTimeout(() => socket.destroy(new Error(`${transport} ${host}:${String(port)} did not answer in time`)), CONNECT_TIMEOUT_MS);
      socket.once(transport === 'tls' ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.on('error', () => {
          this.stream = null;
        });
        socket.on('close', () => {
          if (this.stream === socket) this.stream = null;
        });
        resolve(socket);
      });
      const onError = (error: Error): void => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', onError);
    });
  }

  private async deliverStream(lines: readonly DeliveryLine[]): Promise<void> {
    this.stream ??= await this.connect();
    const socket = this.stream;
    const bytes = Buffer.concat(lines.map((line) => octetCounted(this.frame(line))));
    await new Promise<void>((resolve, reject) => {
      socket.write(bytes, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  private async deliverDatagrams(lines: readonly DeliveryLine[]): Promise<void> {
    const socket = (this.udp ??= createSocket(this.target.host.includes(':') ? 'udp6' : 'udp4'));
    for (const line of lines) {
      await new Promise<void>((resolve, reject) => {
        socket.send(Buffer.from(this.frame(line)), this.target.port, this.target.host, (error) => {
          if (error) reject(error);
          else resolve();
        });
      });
    }
  }

  async deliver(lines: readonly DeliveryLine[]): Promise<void> {
    if (lines.length === 0) return;
    if (this.target.transport === 'udp') return this.deliverDatagrams(lines);
    try {
      await this.deliverStream(lines);
    } catch {
      // One reconnection: a receiver that restarted since the last batch gets the batch again.
      this.stream?.destroy();
      this.stream = null;
      await this.deliverStream(lines);
    }
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (stream !== null) await new Promise<void>((resolve) => stream.end(resolve));
    const udp = this.udp;
    this.udp = null;
    if (udp !== null) await new Promise<void>((resolve) => { udp.close(() => { resolve(); }); });
  }
}
