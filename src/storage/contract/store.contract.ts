// The one behaviour suite every storage adapter runs (STYLE §2): an adapter's test file only says
// how to open a store. Each case names the guarantee of the port it checks.
import { describe } from 'node:test';
import type { Clock } from '../../core/ports/clock.ts';
import type { Store } from '../../core/ports/store.ts';
import { failureFoldRecordsContract } from './failure-fold-records.contract.ts';
import { identityRecordsContract } from './identity-records.contract.ts';
import { orgLockContract } from './org-lock.contract.ts';
import { platformRecordsContract } from './platform-records.contract.ts';
import { trailAppendsContract } from './trail-appends.contract.ts';
import { trailReadsContract } from './trail-reads.contract.ts';
import { trailRetentionContract } from './trail-retention.contract.ts';
import { sealRecordsContract } from './seal-records.contract.ts';

export interface OpenedStore {
  readonly store: Store;
  /** Closes the store and opens the same database again, as a restart would. */
  reopen(): Promise<Store>;
  /** Closes whatever is open and removes the database. */
  dispose(): Promise<void>;
}

export interface StoreContractTarget {
  readonly name: string;
  open(clock: Clock): Promise<OpenedStore>;
}

export function runStoreContract(target: StoreContractTarget): void {
  describe(`${target.name} store contract`, () => {
    trailAppendsContract(target);
    trailReadsContract(target);
    trailRetentionContract(target);
    sealRecordsContract(target);
    platformRecordsContract(target);
    identityRecordsContract(target);
    failureFoldRecordsContract(target);
    orgLockContract(target);
  });
}
