// What every use case is given by the composition root.
import type { Clock } from '../core/ports/clock.ts';
import type { Store } from '../core/ports/store.ts';

export interface PlatformDeps {
  readonly store: Store;
  readonly clock: Clock;
}
