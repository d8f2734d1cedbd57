// A real rsyslog (Debian's rsyslogd) for the syslog sinks: plain TCP, TLS (with a CA and server
// certificate this helper makes with openssl) and UDP inputs on loopback ports, each writing what
// it received and parsed (PRI, HOSTNAME, APP-NAME, MSGID, STRUCTURED-DATA, MSG) as JSON lines.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why the syslog tests cannot run here, or null when rsyslogd (with its TLS driver) is installed. */
export function rsyslogMissing(): string | null {
  try {
    execFileSync('rsyslogd', ['-v'], { stdio: 'ignore' });
  } catch {
    return 'rsyslogd is not installed (apt-get install rsyslog rsyslog-openssl)';
  }
  const driver = ['/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_ossl.so', '/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_ossl.so', '/usr/lib/rsyslog/lmnsd_ossl.so'];
  return driver.some((path) => existsSync(path)) ? null : 'rsyslogd is not installed with its TLS driver (apt-get install rsyslog-openssl)';
}

export interface ReceivedFrame {
  readonly pri: string;
  readonly host: string;
  readonly app: string;
  readonly msgid: string;
  readonly sd: string;
  readonly msg: string;
  readonly time: string;
}

export interface Rsyslog {
  readonly tcpPort: number;
  readonly tlsPort: number;
  readonly udpPort: number;
  /** The CA that signed the TLS input's certificate. */
  readonly caFile: string;
  received(input: 'tcp' | 'tls' | 'udp'): ReceivedFrame[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => { resolve(typeof address === 'object' && address !== null ? address.port : 0); });
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => { resolve(false); });
  });
}

function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const path = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=sectrail test CA', '-keyout', path('ca.key'), '-out', path('ca.pem')]);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', path('server.key'), '-out', path('server.csr')]);
  writeFileSync(path('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['x509', '-req', '-in', path('server.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', path('san.ext'), '-out', path('server.pem')]);
  return { ca: path('ca.pem'), cert: path('server.pem'), key: path('server.key') };
}

export async function startRsyslog(): Promise<Rsyslog> {
  const dir = mkdtempSync(join(tmpdir(), 'sectrail-rsyslog-'));
  const certs = makeCertificates(dir);
  const [tcpPort, tlsPort, udpPort] = [await freePort(), await freePort(), await freePort()];
  const output = (input: string) => join(dir, `${input}.jsonl`);
  const config = `
global(workDirectory="${dir}" maxMessageSize="64k"
  DefaultNetstreamDriverCAFile="${certs.ca}" DefaultNetstreamDriverCertFile="${certs.cert}" DefaultNetstreamDriverKeyFile="${certs.key}")
module(load="imtcp")
module(load="imudp")
template(name="parsed" type="list" option.jsonf="on") {
  property(outname="pri" name="pri" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
  property(outname="time" name="timereported" dateFormat="rfc3339" format="jsonf")
}
ruleset(name="tcp") { action(type="omfile" file="${output('tcp')}" template="parsed") }
ruleset(name="tls") { action(type="omfile" file="${output('tls')}" template="parsed") }
ruleset(name="udp") { action(type="omfile" file="${output('udp')}" template="parsed") }
input(type="imtcp" address="127.0.0.1" port="${String(tcpPort)}" ruleset="tcp")
input(type="imtcp" address="127.0.0.1" port="${String(tlsPort)}" ruleset="tls" streamDriver.name="ossl" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imudp" address="127.0.0.1" port="${String(udpPort)}" ruleset="udp")
`;
  const configFile = join(dir, 'rsyslog.conf');
  writeFileSync(configFile, config);
  execFileSync('rsyslogd', ['-N1', '-f', configFile], { stdio: 'pipe' });
  const child: ChildProcess = spawn('rsyslogd', ['-n', '-f', configFile, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  for (let attempt = 0; !(await listening(tcpPort) && (await listening(tlsPort))); attempt += 1) {
    if (attempt > 100 || child.exitCode !== null) throw new Error(`rsyslogd did not start:\n${log.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    tcpPort,
    tlsPort,
    udpPort,
    caFile: certs.ca,
    received(input) {
      const file = output(input);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as ReceivedFrame);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) {
          done();
          return;
        }
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
