// The identity provider's storage (oidc-provider's Adapter) in memory: each provider keeps its own
// store, so providers side by side never see each other's sessions, and all is gone when it stops.
import type { Adapter, AdapterPayload } from 'oidc-provider';

export function inMemoryAdapterFactory(): (model: string) => Adapter {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const sessionIdsByUid = new Map<string, string>();
  return (model) => {
    const keyOf = (id: string) => `${model}:${id}`;
    const find = async (id: string) => {
      const entry = entries.get(keyOf(id));
      return entry !== undefined && entry.expiresAt > Date.now() ? entry.payload : undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        entries.set(keyOf(id), { payload, expiresAt: expiresIn === undefined ? Infinity : Date.now() + expiresIn * 1000 });
        if (model === 'Session' && payload.uid !== undefined) sessionIdsByUid.set(payload.uid, id);
      },
      find,
      async findByUid(uid) {
        const id = sessionIdsByUid.get(uid);
        return id === undefined ? undefined : find(id);
      },
      async findByUserCode() {
        return undefined;
      },
      async consume(id) {
        const entry = entries.get(keyOf(id));
        if (entry !== undefined) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const [key, entry] of entries) {
          if (entry.payload.grantId === grantId) entries.delete(key);
        }
      },
    };
  };
}
