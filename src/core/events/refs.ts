// Reference shapes used inside event details: who or what an event is about, by id and name,
// so that an event stays readable after the referenced object changes or disappears.
import Type, { type Static } from 'typebox';

const Id = Type.String({ minLength: 1 });

export const UserRef = Type.Object(
  { id: Id, name: Type.String(), email: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: false },
);
export type UserRef = Static<typeof UserRef>;

export const NamedRef = Type.Object({ id: Id, name: Type.String() }, { additionalProperties: false });
export type NamedRef = Static<typeof NamedRef>;

export const ResourceRef = Type.Object(
  { type: Type.String(), id: Id, name: Type.String() },
  { additionalProperties: false },
);
export type ResourceRef = Static<typeof ResourceRef>;

export const SubjectRef = Type.Object(
  { kind: Type.Union([Type.Literal('user'), Type.Literal('group')]), id: Id, name: Type.String() },
  { additionalProperties: false },
);

export const OwnerRef = Type.Object(
  {
    kind: Type.Union([Type.Literal('user'), Type.Literal('service_account')]),
    id: Id,
    name: Type.String(),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
);
export type OwnerRef = Static<typeof OwnerRef>;

export const Role = Type.Union([Type.Literal('reader'), Type.Literal('writer'), Type.Literal('admin')]);
export type Role = Static<typeof Role>;

export const Access = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);
