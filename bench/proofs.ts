// Measurement (g): inclusion proofs of random events of the sealed big day, one after another
// (each checked against the signed digest), then /healthz answered alone against while several
// callers ask for proofs without pause.
import Database from 'better-sqlite3';
import { Agent, get } from 'node:http';
import type { Digest } from '../src/core/integrity/digest.ts';
import { proofMatchesDigest, type InclusionProof } from '../src/core/integrity/proof.ts';
import type { DayBody } from './http-client.ts';
import { postJson, type LoadOrg } from './load-http.ts';
import { median, timed } from './stats.ts';

const PROOF_PATH = '/api/audit-log/security-trail/proof';
const DIGEST_PATH = '/api/audit-log/security-trail/digest';

export interface ProofSettings {
  /** Proofs timed one after another. */
  readonly proofs: number;
  /** Callers asking for proofs at once while /healthz is timed. */
  readonly callers: number;
  /** /healthz requests timed alone, and again under the callers. */
  readonly healthRuns: number;
}

export interface ProofResult {
  readonly settings: ProofSettings;
  readonly proofMs: readonly number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly healthAloneMs: number;
  readonly healthUnderProofsMs: number;
  /** Proofs answered while /healthz was timed under the callers. */
  readonly proofsMeanwhile: number;
}

/** `count` ids of the day's events, at random seqs (repeats possible), read from the SQLite file. */
export function randomEventIds(dbPath: string, orgId: string, epochDay: number, count: number): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const range = db.prepare<[string, number], { first: number; last: number }>('SELECT min(seq) AS first, max(seq) AS last FROM events WHERE org_id = ? AND day = ?').get(orgId, epochDay);
    if (range === undefined) throw new Error('the day has no events to prove');
    const byseq = db.prepare<[string, number], string>('SELECT id FROM events WHERE org_id = ? AND seq = ?').pluck();
    return Array.from({ length: count }, () => {
      const id = byseq.get(orgId, range.first + Math.floor(Math.random() * (range.last - range.first + 1)));
      if (id === undefined) throw new Error('a seq of the day without its event');
      return id;
    });
  } finally {
    db.close();
  }
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0;
}

function healthMs(port: number, agent: Agent): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path: '/healthz', agent }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) resolve(performance.now() - started);
        else reject(new Error(`/healthz answered ${String(response.statusCode)}`));
      });
    });
    request.on('error', reject);
  });
}

export async function measureProofs(port: number, org: LoadOrg, day: DayBody, eventIds: readonly string[], settings: ProofSettings): Promise<ProofResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const prove = async (eventId: string, through: Agent = agent): Promise<InclusionProof> => {
    const answer = await postJson(port, org, org.readToken, PROOF_PATH, { eventId }, through);
    if (answer.status !== 200) throw new Error(`a proof was answered ${String(answer.status)}: ${answer.text.slice(0, 300)}`);
    return JSON.parse(answer.text) as InclusionProof;
  };
  const pick = () => eventIds[Math.floor(Math.random() * eventIds.length)] as string;
  try {
    const digestAnswer = await postJson(port, org, org.readToken, DIGEST_PATH, { year: day.year, month: day.month, day: day.day }, agent);
    const digest = JSON.parse(digestAnswer.text) as Digest;
    // Untimed: the first proof of a day pays for its chunk roots once if the day had none.
    await prove(pick());
    const proofMs: number[] = [];
    for (let i = 0; i < settings.proofs; i += 1) {
      const { ms, value } = await timed(() => prove(pick()));
      if (!proofMatchesDigest(value, digest)) throw new Error(`the proof of ${value.eventId} does not match the signed digest`);
      proofMs.push(ms);
    }

    const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const alone: number[] = [];
    for (let i = 0; i < settings.healthRuns; i += 1) alone.push(await healthMs(port, healthAgent));
    let asking = true;
    let meanwhile = 0;
    const callers = Array.from({ length: settings.callers }, async () => {
      const own = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        while (asking) {
          await prove(pick(), own);
          meanwhile += 1;
        }
      } finally {
        own.destroy();
      }
    });
    const underProofs: number[] = [];
    try {
      // Let the callers get going before timing.
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let i = 0; i < settings.healthRuns; i += 1) underProofs.push(await healthMs(port, healthAgent));
    } finally {
      asking = false;
      await Promise.all(callers);
      healthAgent.destroy();
    }
    return {
      settings,
      proofMs,
      p50Ms: percentile(proofMs, 0.5),
      p99Ms: percentile(proofMs, 0.99),
      maxMs: Math.max(...proofMs),
      healthAloneMs: median(alone),
      healthUnderProofsMs: median(underProofs),
      proofsMeanwhile: meanwhile,
    };
  } finally {
    agent.destroy();
  }
}
