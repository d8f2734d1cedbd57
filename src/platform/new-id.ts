// Identifiers for platform records: UUIDv7, time-ordered so indexes stay append-mostly.
import { v7 as uuidv7 } from 'uuid';

export function newId(): string {
  return uuidv7();
}
