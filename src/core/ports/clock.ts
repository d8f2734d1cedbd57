// Time as the core sees it: milliseconds since the epoch, from a clock the composition root picks.
export interface Clock {
  now(): number;
}
