// The roles a member or a service account may have, as the selects offer them.
export const ROLES: readonly (readonly [string, string])[] = [
  ['reader', 'Reader'],
  ['writer', 'Writer'],
  ['admin', 'Admin'],
];
