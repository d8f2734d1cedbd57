// `sectrail pull`'s options turned into a plan, or bad usage (exit 2) naming the option.
import { dayFromEpochDay, epochDayOf } from '../core/day-window.ts';
import { invalidRequest } from '../core/errors.ts';
import { FORMATS, type Format } from './formats/formatter.ts';
import type { SyslogTarget } from './sinks/syslog-sink.ts';

export type DaySelection =
  | { readonly kind: 'yesterday' }
  | { readonly kind: 'dates'; readonly dates: readonly string[] }
  | { readonly kind: 'follow' };

export type SinkSpec =
  | { readonly kind: 'stdout' }
  | { readonly kind: 'file'; readonly pathTemplate: string }
  | { readonly kind: 'syslog'; readonly target: SyslogTarget }
  | { readonly kind: 'splunk-hec'; readonly url: string; readonly token: string }
  | { readonly kind: 'elastic'; readonly url: string; readonly index: string; readonly apiKey: string | null }
  | { readonly kind: 'webhook'; readonly url: string; readonly secret: string };

/** The environment the sinks take their secrets from. */
export type SinkEnv = Readonly<Record<string, string | undefined>>;

export interface PullPlan {
  readonly baseUrl: string;
  readonly token: string;
  readonly selection: DaySelection;
  readonly sinks: readonly { readonly spec: string; readonly sink: SinkSpec }[];
  readonly format: Format;
  readonly statePath: string;
  readonly verify: boolean;
  readonly pageSize: number;
  readonly intervalMs: number;
}

export interface PullFlags {
  readonly url: string;
  readonly tokenFile: string;
  readonly yesterday?: boolean;
  readonly date?: string;
  readonly from?: string;
  readonly to?: string;
  readonly follow?: boolean;
  readonly sink: readonly string[];
  readonly format: string;
  readonly state: string;
  readonly verify?: boolean;
  readonly pageSize: string;
  readonly interval: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_RANGE_DAYS = 3660;

function dayNumber(option: string, value: string): number {
  const match = DATE.exec(value);
  const ms = match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw invalidRequest(`${option} must be a date such as 2025-05-17; got ${JSON.stringify(value)}.`);
  }
  return epochDayOf(ms);
}


function selection(flags: PullFlags): DaySelection {
  const chosen = [flags.yesterday === true, flags.date !== undefined, flags.from !== undefined || flags.to !== undefined, flags.follow === true];
  if (chosen.filter(Boolean).length > 1) throw invalidRequest('Choose one of --yesterday, --date, --from/--to and --follow.');
  if (flags.date !== undefined) return { kind: 'dates', dates: [dayFromEpochDay(dayNumber('--date', flags.date)).iso] };
  if (flags.from !== undefined || flags.to !== undefined) {
    if (flags.from === undefined || flags.to === undefined) throw invalidRequest('--from and --to go together.');
    const from = dayNumber('--from', flags.from);
    const to = dayNumber('--to', flags.to);
    if (to < from) throw invalidRequest('--to is before --from.');
    if (to - from >= MAX_RANGE_DAYS) throw invalidRequest(`A range covers at most ${String(MAX_RANGE_DAYS)} days.`);
    return { kind: 'dates', dates: Array.from({ length: to - from + 1 }, (_, i) => dayFromEpochDay(from + i).iso) };
  }
  return flags.follow === true ? { kind: 'follow' } : { kind: 'yesterday' };
}

function syslogTarget(spec: string): SyslogTarget {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw invalidRequest(`--sink ${spec} is not a syslog URL such as syslog+tcp://siem.example.com:6514.`);
  }
  const transport = url.protocol.slice('syslog+'.length, -1) as SyslogTarget['transport'];
  const port = Number(url.port);
  if (url.hostname === '' || !Number.isInteger(port) || port < 1) throw invalidRequest(`--sink ${spec} needs a host and a port.`);
  const known = ['ca', 'sdid'];
  const unknown = [...url.searchParams.keys()].filter((key) => !known.includes(key));
  if (unknown.length > 0) throw invalidRequest(`--sink ${spec}: unknown option ${unknown.join(', ')} (known: ca, sdid).`);
  const caFile = url.searchParams.get('ca');
  if (caFile !== null && transport !== 'tls') throw invalidRequest(`--sink ${spec}: ca= applies to syslog+tls only.`);
  const sdid = url.searchParams.get('sdid');
  const enterpriseNumber = sdid === null ? undefined : Number(sdid);
  if (enterpriseNumber !== undefined && (!Number.isInteger(enterpriseNumber) || enterpriseNumber < 1)) throw invalidRequest(`--sink ${spec}: sdid must be a positive integer.`);
  return { transport, host: url.hostname.replace(/^\[|\]$/g, ''), port, caFile, enterpriseNumber };
}

function httpUrl(spec: string, rest: string): URL {
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw invalidRequest(`--sink ${spec.split(':')[0] ?? spec}: ${JSON.stringify(rest)} is not a URL.`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw invalidRequest(`--sink ${spec.split(':')[0] ?? spec} needs an http(s) URL.`);
  return url;
}

function secret(env: SinkEnv, name: string, sink: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw invalidRequest(`--sink ${sink} takes its secret from ${name}, which is not set.`);
  return value;
}

function httpSinkOf(spec: string, env: SinkEnv): SinkSpec | null {
  if (spec.startsWith('splunk-hec:')) {
    const url = httpUrl(spec, spec.slice('splunk-hec:'.length));
    return { kind: 'splunk-hec', url: url.href.replace(/\/+$/, ''), token: secret(env, 'SPLUNK_HEC_TOKEN', 'splunk-hec') };
  }
  if (spec.startsWith('elastic:')) {
    const url = httpUrl(spec, spec.slice('elastic:'.length));
    const parts = url.pathname.split('/').filter(Boolean);
    const index = parts.pop();
    if (index === undefined) throw invalidRequest('--sink elastic:<url>/<index> needs the index as the last path segment.');
    return { kind: 'elastic', url: `${url.origin}${parts.length === 0 ? '' : `/${parts.join('/')}`}`, index: decodeURIComponent(index), apiKey: env['ELASTIC_API_KEY'] ?? null };
  }
  if (spec.startsWith('webhook:')) {
    return { kind: 'webhook', url: httpUrl(spec, spec.slice('webhook:'.length)).href, secret: secret(env, 'SECTRAIL_WEBHOOK_SECRET', 'webhook') };
  }
  return null;
}

function sinkOf(spec: string, env: SinkEnv): SinkSpec {
  if (spec === 'stdout') return { kind: 'stdout' };
  const http = httpSinkOf(spec, env);
  if (http !== null) return http;
  if (spec.startsWith('file:') && spec.length > 'file:'.length) return { kind: 'file', pathTemplate: spec.slice('file:'.length) };
  if (/^syslog\+(tcp|tls|udp):\/\//.test(spec)) return { kind: 'syslog', target: syslogTarget(spec) };
  const scheme = /^[a-z0-9+-]+:/i.exec(spec)?.[0] ?? spec;
  throw invalidRequest(`--sink ${scheme} is not a sink: use stdout, file:<path>, syslog+tcp|tls|udp://host:port, splunk-hec:<url>, elastic:<url>/<index> or webhook:<url>.`);
}

function positive(option: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw invalidRequest(`${option} must be an integer from 1 to ${String(max)}; got ${JSON.stringify(raw)}.`);
  return value;
}

export function pullPlan(flags: PullFlags, token: string, env: SinkEnv = {}): PullPlan {
  let url: URL;
  try {
    url = new URL(flags.url);
  } catch {
    throw invalidRequest(`--url must be the server's base URL, such as https://demo.sectrail.example.com; got ${JSON.stringify(flags.url)}.`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) throw invalidRequest('--url must be an http(s) URL.');
  if (token === '') throw invalidRequest(`The token file ${flags.tokenFile} is empty.`);
  if (!(FORMATS as readonly string[]).includes(flags.format)) throw invalidRequest(`--format must be one of ${FORMATS.join(', ')}; got ${JSON.stringify(flags.format)}.`);
  if (flags.sink.length === 0) throw invalidRequest('Give at least one --sink.');
  return {
    baseUrl: url.origin + url.pathname.replace(/\/+$/, ''),
    token,
    selection: selection(flags),
    sinks: flags.sink.map((spec) => ({ spec, sink: sinkOf(spec, env) })),
    format: flags.format as Format,
    statePath: flags.state,
    verify: flags.verify === true,
    pageSize: positive('--page-size', flags.pageSize, 10_000),
    intervalMs: positive('--interval', flags.interval, 86_400) * 1000,
  };
}
