// One client of the workload: during a server's life it sends change after change, one at a time,
// each with its own X-Request-Id, and writes each outcome into the ledger. It stops when the
// life ends: its last request is then in flight at the kill, or was never sent.
import type { ChangeLedger } from './change-ledger.ts';
import { nextChange } from './change-requests.ts';
import type { ClientModel } from './client-model.ts';
import type { LifeConnection } from './crash-http.ts';
import type { Random } from './random-source.ts';

/** One life of the server as the clients see it: open until the driver kills it. */
export interface Life {
  readonly index: number;
  readonly http: LifeConnection;
  /** Set (to Date.now()) just before the kill: no request is sent after it. */
  killedAt: number | null;
}

export class CrashClient {
  /** Invitation secrets not accepted yet; they stay valid across restarts. */
  private readonly invitations: string[] = [];
  private sent = 0;

  constructor(
    readonly tag: string,
    readonly orgSlug: string,
    private readonly token: string,
    /** The members this client alone changes. */
    readonly memberIds: readonly string[],
    private readonly ledger: ChangeLedger,
    private readonly random: Random,
  ) {}

  /** Sends changes until the life is killed or a request fails; the model is what the platform held at the start. */
  async run(life: Life, model: ClientModel): Promise<void> {
    while (life.killedAt === null) {
      this.sent += 1;
      const requestId = `${this.tag}.${life.index}.${this.sent}`;
      const change = nextChange({ model, random: this.random, name: requestId, invitations: this.invitations });
      const answer = await life.http.call(change.method, change.path, {
        requestId,
        ...(change.anonymous === true ? {} : { token: this.token }),
        ...(change.body === undefined ? {} : { body: change.body }),
      });
      const base = { requestId, orgSlug: this.orgSlug, eventType: change.eventType, note: `${change.method} ${change.path}` };
      if (answer.kind === 'dropped') {
        const killedAt = life.killedAt as number | null;
        this.ledger.add({ ...base, outcome: 'dropped', status: null, droppedWhileUp: killedAt === null || answer.atMs < killedAt, createdId: null });
        return;
      }
      const acked = answer.status >= 200 && answer.status < 300;
      const createdId = acked ? change.acknowledged(answer.body) : null;
      this.ledger.add({ ...base, outcome: acked ? 'acked' : 'refused', status: answer.status, droppedWhileUp: false, createdId, ...(acked ? {} : { note: `${base.note}: ${JSON.stringify(answer.body)}` }) });
    }
  }
}
