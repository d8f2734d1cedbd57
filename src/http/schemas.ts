// Request and response schemas: they validate input (no type coercion of bodies) and describe the
// API in the OpenAPI document at /docs/json.
import type {} from '@fastify/swagger';
import Type from 'typebox';

const strict = { additionalProperties: false } as const;

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { description: 'Every error: a stable code (docs/errors.md) and a message for people.' },
);

export const DayBody = Type.Object(
  {
    year: Type.Integer({ description: 'UTC year, 1970 or later.' }),
    month: Type.Integer({ description: '1 to 12.' }),
    day: Type.Integer({ description: 'Day of the month.' }),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Page through the day.' })),
    pageToken: Type.Optional(Type.String({ maxLength: 4096, description: "The previous answer's nextPageToken." })),
    eventTypes: Type.Optional(
      Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 64, description: 'Keep only these types.' }),
    ),
  },
  strict,
);

export const DigestBody = Type.Object(
  {
    year: Type.Integer({ description: 'UTC year, 1970 or later.' }),
    month: Type.Integer({ description: '1 to 12.' }),
    day: Type.Integer({ description: 'Day of the month.' }),
  },
  strict,
);

export const DigestAnswer = Type.Object({
  orgId: Type.String(),
  date: Type.String({ description: 'YYYY-MM-DD (UTC).' }),
  treeSize: Type.Integer(),
  firstSeq: Type.Integer(),
  lastSeq: Type.Integer(),
  root: Type.String({ description: 'Hex RFC 6962 Merkle root of the day.' }),
  prevDigestHash: Type.Union([Type.String(), Type.Null()], { description: "Hex SHA-256 of the previous day's whole digest (RFC 8785 JSON)." }),
  keyId: Type.String(),
  sealedAt: Type.String(),
  signature: Type.String({ description: 'Base64 Ed25519 signature over the RFC 8785 JSON of the nine fields above.' }),
});

export const ProofBody = Type.Object({ eventId: Type.String({ minLength: 1, maxLength: 64, description: "The event's id." }) }, strict);

export const ProofAnswer = Type.Object({
  eventId: Type.String(),
  date: Type.String(),
  seq: Type.Integer(),
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  leafHash: Type.String(),
  auditPath: Type.Array(Type.String(), { description: 'Hex sibling hashes from the leaf up.' }),
  root: Type.String(),
});

export const KeysAnswer = Type.Object({
  result: Type.Array(
    Type.Object({
      keyId: Type.String(),
      algorithm: Type.Literal('Ed25519'),
      publicKey: Type.String({ description: 'Base64 of the raw 32-byte public key.' }),
      validFrom: Type.String(),
      validUntil: Type.Union([Type.String(), Type.Null()]),
      announcement: Type.Optional(
        Type.Object(
          {
            keyId: Type.String(),
            publicKey: Type.String(),
            previousKeyId: Type.String(),
            announcedAt: Type.String(),
            signature: Type.String({ description: 'Base64 Ed25519 signature by the previous key over the RFC 8785 JSON of the four fields above.' }),
          },
          { description: 'On a key brought in by a rotation: the previous key naming this one.' },
        ),
      ),
    }),
  ),
});

export const DayAnswer = Type.Object({
  result: Type.Array(Type.Object({}, { additionalProperties: true, description: 'An event envelope.' })),
  nextPageToken: Type.Union([Type.String(), Type.Null()]),
  complete: Type.Boolean({ description: 'True once the day is sealed: its signed digest exists and nothing will be added to it.' }),
});

export const TailBody = Type.Object(
  {
    after: Type.Optional(Type.String({ maxLength: 4096, description: 'The previous answer\u2019s cursor.' })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  strict,
);

export const TailAnswer = Type.Object({
  result: Type.Array(Type.Object({}, { additionalProperties: true })),
  cursor: Type.String(),
});

export const RoleSchema = Type.Union([Type.Literal('reader'), Type.Literal('writer'), Type.Literal('admin')]);

export const NewServiceAccountBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }), role: Type.Optional(RoleSchema) },
  strict,
);

export const NewTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    serviceAccountId: Type.Optional(Type.String({ maxLength: 64 })),
    scopes: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 16 }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  strict,
);

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
