// `sectrail pull` (DESIGN §8): days of the log, or the live tail, into sinks, with checkpoints.
// Exit 0 all delivered (and verified, with --verify), 1 some sink or check failed, 2 bad usage.
import type { Command } from 'commander';
import { Checkpoints } from '../../forwarder/checkpoints.ts';
import { follow, pullDays, type NamedSink } from '../../forwarder/pull.ts';
import { pullPlan, type PullFlags, type SinkSpec } from '../../forwarder/pull-plan.ts';
import { FileSink } from '../../forwarder/sinks/file-sink.ts';
import type { Sink } from '../../forwarder/sinks/sink.ts';
import { StdoutSink } from '../../forwarder/sinks/stdout-sink.ts';
import { SyslogSink } from '../../forwarder/sinks/syslog-sink.ts';
import { ElasticSink } from '../../forwarder/sinks/elastic-sink.ts';
import { SplunkHecSink } from '../../forwarder/sinks/splunk-hec-sink.ts';
import { WebhookSink } from '../../forwarder/sinks/webhook-sink.ts';
import { TrailApi } from '../../forwarder/trail-api.ts';
import { FORMATS } from '../../forwarder/formats/formatter.ts';
import { lineFormatterFor } from '../../forwarder/line-formatter.ts';
import { progressLine, type PullProgress } from '../../forwarder/progress-line.ts';
import type { CliRuntime } from '../cli-runtime.ts';
import { readTokenFile } from '../token-file.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function sinkFor(spec: SinkSpec, format: string): Sink {
  switch (spec.kind) {
    case 'stdout':
      return new StdoutSink();
    case 'file':
      return new FileSink(spec.pathTemplate);
    case 'syslog':
      return new SyslogSink(spec.target);
    case 'splunk-hec':
      return new SplunkHecSink(spec.url, spec.token, format);
    case 'elastic':
      return new ElasticSink(spec.url, spec.index, format, spec.apiKey);
    case 'webhook':
      return new WebhookSink(spec.url, spec.secret, format);
  }
}

export function registerPullCommand(program: Command, runtime: CliRuntime, version: string): void {
  program
    .command('pull')
    .description('forward days of the security log (or the live tail) to sinks, with checkpoints')
    .requiredOption('--url <base url>', 'the server, such as https://demo.sectrail.example.com')
    .requiredOption('--token-file <file>', 'a file whose last non-empty line is a security-log:read token (sectrail token create … > file)')
    .option('--yesterday', "the server's UTC yesterday (the default)")
    .option('--date <YYYY-MM-DD>', 'one UTC day')
    .option('--from <YYYY-MM-DD>', 'the first day of a range (with --to; both included)')
    .option('--to <YYYY-MM-DD>', 'the last day of a range')
    .option('--follow', 'follow the live log through /tail until stopped')
    .option('--sink <spec>', 'stdout, file:<path with {date}>, syslog+tcp|tls|udp://host:port[?ca=<file>], splunk-hec:<url> (SPLUNK_HEC_TOKEN), elastic:<url>/<index> (ELASTIC_API_KEY), webhook:<url> (SECTRAIL_WEBHOOK_SECRET); repeatable', collect, [])
    .option('--format <format>', FORMATS.join(', '), 'native')
    .option('--state <file>', 'the checkpoint file, in the working directory unless a path is given; each org keeps its own checkpoints in it', 'sectrail-pull-state.json')
    .option('--verify', 'check each sealed day against its signed digest as it is pulled')
    .option('--page-size <n>', 'events per request (1 to 10000)', '1000')
    .option('--interval <seconds>', 'with --follow, the pause when caught up', '5')
    .action(async (flags: PullFlags) => {
      const tokenFile = readTokenFile(flags.tokenFile);
      // On stderr: stdout may be a sink's NDJSON.
      if (tokenFile.warning !== null) process.stderr.write(`${tokenFile.warning}\n`);
      const plan = pullPlan(flags, tokenFile.token, process.env);
      const api = new TrailApi(plan.baseUrl, plan.token);
      let checkpoints: Checkpoints;
      try {
        checkpoints = Checkpoints.load(plan.statePath, await api.orgId());
      } catch (error) {
        await api.close();
        throw error;
      }
      const sinks: NamedSink[] = plan.sinks.map(({ spec, sink }) => ({ key: `${spec}|${plan.format}`, sink: sinkFor(sink, plan.format) }));
      const onTerminal = process.stderr.isTTY;
      const format = lineFormatterFor(plan.format, version);
      const deps = {
        api,
        format,
        sinks,
        checkpoints,
        report: (line: string) => {
          if (onTerminal) process.stderr.write('\r\u001b[K');
          // With stdout as a sink, the report goes to stderr so the NDJSON stays clean.
          if (plan.sinks.some(({ sink }) => sink.kind === 'stdout')) process.stderr.write(`${line}\n`);
          else runtime.out(line);
        },
        progress: (progress: PullProgress) => {
          if (onTerminal) process.stderr.write(`\r\u001b[K${progressLine(progress)}`);
        },
      };
      try {
        if (plan.selection.kind === 'follow') {
          let stop = false;
          let wake: () => void = () => undefined;
          const onSignal = () => {
            stop = true;
            wake();
          };
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          const wait = (ms: number) => new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, ms);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          await follow(plan, deps, () => stop, wait);
        } else {
          await pullDays(plan, deps);
        }
      } finally {
        await format.close();
        for (const { sink } of sinks) await sink.close();
        await api.close();
      }
    });
}
