// An event's Merkle leaf (DESIGN §9): the RFC 8785 canonical JSON of its envelope exactly as
// served, with a top-level `orgId` added, so a day proves which org it belongs to.
import { canonicalJson } from '../canonical-json.ts';
import { leafHash } from './merkle.ts';

/** The leaf of an envelope given as an object (what a verifier parses from a downloaded day). */
export function leafOfEnvelope(envelope: Readonly<Record<string, unknown>>, orgId: string): string {
  return canonicalJson({ ...envelope, orgId });
}

// Stored envelopes are canonical JSON already, keys in RFC 8785 order: `orgId` sorts right
// before `outcome` ("ipAddress" < "orgId" < "outcome"), and no field after `outcome` (requestId,
// seq, timestamp, type, user, userAgent) can hold the text `"outcome":` outside a string.
const OUTCOME_KEY = ',"outcome":';

/**
 * The leaf of an envelope as stored (canonical JSON text), by inserting `orgId` in its sorted
 * place: the same text as leafOfEnvelope, without parsing a day's events again.
 */
export function leafOfStoredEnvelope(storedJson: string, orgId: string): string {
  const at = storedJson.lastIndexOf(OUTCOME_KEY);
  if (at < 0) throw new Error('a stored envelope without an outcome');
  return `${storedJson.slice(0, at)},"orgId":${JSON.stringify(orgId)}${storedJson.slice(at)}`;
}

export function eventLeafHash(storedJson: string, orgId: string): Buffer {
  return leafHash(leafOfStoredEnvelope(storedJson, orgId));
}
