// The sealed-day badge: the day's signed digest, the published keys and the previous day's digest,
// checked in the browser by verifyDay, the same code `sectrail verify` runs (src/core/integrity),
// on a worker thread so the page stays responsive; and the files to run that check again elsewhere.
import { dayBefore } from '../../../src/core/day-window.ts';
import type { DayEvidence, VerifiedDay } from '../../../src/core/integrity/verify-day.ts';
import type { VerifyAnswer } from '../verify-worker.ts';
import { ApiError, call } from '../api.ts';
import { dayBody } from '../day-body.ts';
import { downloadFile } from '../download-file.ts';
import { h } from '../dom.ts';
import type { TrailEvent } from '../types.ts';

async function digestOf(date: string): Promise<unknown> {
  try {
    return await call<unknown>('POST', '/api/audit-log/security-trail/digest', dayBody(date));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

function fileButton(label: string, name: string, value: unknown): HTMLButtonElement {
  return h('button', { type: 'button', class: 'secondary', onclick: () => { downloadFile(name, 'application/json', JSON.stringify(value)); } }, label);
}

/** The evidence as files, and the command that checks them offline. */
function evidence(date: string, digest: unknown, keys: unknown, previousDigest: unknown): HTMLElement {
  const previous = previousDigest === undefined ? '' : ` --previous-digest sectrail-${dayBefore(date)}-digest.json`;
  return h(
    'details',
    { class: 'evidence' },
    h('summary', {}, 'Check it yourself'),
    h('p', {}, 'Download the day as JSON, these files, and run:'),
    h('pre', {}, `sectrail verify --day sectrail-${date}.json --digest sectrail-${date}-digest.json --keys sectrail-keys.json${previous}`),
    h('div', { class: 'downloads', role: 'group', 'aria-label': 'Download the evidence' },
      fileButton('Download digest', `sectrail-${date}-digest.json`, digest),
      fileButton('Download keys', 'sectrail-keys.json', keys),
      previousDigest === undefined ? null : fileButton('Download previous digest', `sectrail-${dayBefore(date)}-digest.json`, previousDigest)),
  );
}

function verifyInWorker(evidence: DayEvidence): Promise<VerifiedDay> {
  return new Promise((resolve, reject) => {
    const worker = new Worker('/console/verify-worker.js', { type: 'module' });
    worker.onmessage = (event: MessageEvent<VerifyAnswer>) => {
      worker.terminate();
      if ('verified' in event.data) resolve(event.data.verified);
      else reject(new Error(event.data.failure));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the verification could not run: ${event.message}`));
    };
    worker.postMessage(evidence);
  });
}

/** Whether the digest names a day before it (its `prevDigestHash`); an org's first sealed day does not. */
function chainsBack(digest: unknown): boolean {
  return typeof digest === 'object' && digest !== null && typeof (digest as { prevDigestHash?: unknown }).prevDigestHash === 'string';
}

/**
 * A badge saying whether the day is sealed and, if so, whether its events verified here.
 * `complete`: the trail's flag, true exactly when the day's digest exists, so an open day asks for none.
 */
export async function verificationBadge(date: string, events: readonly TrailEvent[], complete: boolean): Promise<HTMLElement> {
  const digest = complete ? await digestOf(date) : undefined;
  if (digest === undefined) {
    return h('p', { class: 'badge pending', role: 'status' }, 'Not sealed yet: a day is sealed and signed after it ends.');
  }
  const [keys, previousDigest] = await Promise.all([
    call<unknown>('GET', '/api/audit-log/keys'),
    chainsBack(digest) ? digestOf(dayBefore(date)) : Promise.resolve(undefined),
  ]);
  try {
    const verified = await verifyInWorker({ events, digest, keys, ...(previousDigest === undefined ? {} : { previousDigest }) });
    const chain = verified.chained ? ', chained to the day before' : '';
    return h('div', {},
      h('p', { class: 'badge ok verified', role: 'status' },
        `Verified in this browser: ${String(verified.treeSize)} events match the digest signed by key ${verified.keyId}${chain}.`),
      evidence(date, digest, keys, previousDigest));
  } catch (error) {
    return h('div', {},
      h('p', { class: 'badge bad', role: 'alert' }, `Verification failed: ${error instanceof Error ? error.message : String(error)}`),
      evidence(date, digest, keys, previousDigest));
  }
}
