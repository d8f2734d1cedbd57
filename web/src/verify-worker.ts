// Verifies a sealed day off the page's thread: the evidence in, the verdict out. It runs verifyDay
// from src/core/integrity, the code `sectrail verify` runs, which over a day of many events takes
// long enough to freeze a page.
import { verifyDay, type DayEvidence, type VerifiedDay } from '../../src/core/integrity/verify-day.ts';

export type VerifyAnswer = { readonly verified: VerifiedDay } | { readonly failure: string };

const scope = self as unknown as { onmessage: ((event: MessageEvent<DayEvidence>) => void) | null; postMessage(answer: VerifyAnswer): void };

scope.onmessage = (event) => {
  try {
    scope.postMessage({ verified: verifyDay(event.data) });
  } catch (error) {
    scope.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
};
