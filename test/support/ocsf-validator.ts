// Checks OCSF events against the JSON files of an OCSF schema directory: classes and objects are
// resolved through extends, $include and profiles, then each event is walked attribute by attribute.
// What the schema marks `@deprecated` (a class, an object, an attribute, an enum value) is a
// problem too: a consumer built on a newer schema may no longer read it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

type JsonRecord = Record<string, unknown>;
type Requirement = 'required' | 'recommended' | 'optional';
type ConstraintKind = 'at_least_one' | 'just_one';

/** One attribute of a resolved class or object: its dictionary entry with the class's or object's overrides. */
interface AttributeDef {
  readonly name: string;
  readonly type: string;
  readonly isArray: boolean;
  readonly requirement: Requirement;
  readonly enumValues: ReadonlySet<string> | undefined;
  /** The profile that adds the attribute; it is known only when metadata.profiles lists that profile. */
  readonly profile: string | undefined;
  /** Why the schema deprecates the attribute (its `@deprecated` message), or undefined. */
  readonly deprecated: string | undefined;
  /** The enum values the schema deprecates, each with its message. */
  readonly deprecatedValues: ReadonlyMap<string, string>;
}

interface Constraint {
  readonly kind: ConstraintKind;
  readonly attributes: readonly string[];
}

/** A class or an object after its extends chain, includes and dictionary entries are merged. */
interface Shape {
  readonly kind: 'class' | 'object';
  readonly name: string;
  readonly attributes: ReadonlyMap<string, AttributeDef>;
  readonly constraints: readonly Constraint[];
  /** Why the schema deprecates the class or object itself, or undefined. */
  readonly deprecated: string | undefined;
}

interface OcsfClass extends Shape {
  readonly classUid: number;
  readonly category: string;
  readonly categoryUid: number;
}

/** The limits a dictionary type puts on a value (a subtype is bound by its own and its parents'). */
interface TypeRule {
  readonly name: string;
  readonly regex: RegExp | undefined;
  readonly maxLen: number | undefined;
  readonly range: readonly [number, number] | undefined;
  readonly values: readonly unknown[] | undefined;
}

interface ScalarType {
  readonly name: string;
  readonly primitive: string;
  readonly rules: readonly TypeRule[];
}

export interface OcsfSchema {
  readonly version: string;
  readonly scalarTypes: ReadonlyMap<string, ScalarType>;
  readonly classes: ReadonlyMap<number, OcsfClass>;
  readonly objects: ReadonlyMap<string, Shape>;
  readonly profiles: ReadonlySet<string>;
}

const PRIMITIVE_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  string_t: (value) => typeof value === 'string',
  integer_t: (value) => Number.isInteger(value),
  long_t: (value) => Number.isInteger(value),
  float_t: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean_t: (value) => typeof value === 'boolean',
  json_t: () => true,
};

const REQUIREMENTS: readonly string[] = ['required', 'recommended', 'optional'];
const CONSTRAINT_KINDS: readonly string[] = ['at_least_one', 'just_one'];
const DATETIME_PROFILE = 'datetime';

// ---------------------------------------------------------------------------------------------
// Reading the JSON files

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJsonRecord(file: string): JsonRecord {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${file}: expected a JSON object`);
  return parsed;
}

function recordField(record: JsonRecord, key: string, where: string): JsonRecord {
  const value = record[key];
  if (value === undefined) return {};
  if (!isRecord(value)) throw new Error(`${where}: "${key}" is not an object`);
  return value;
}

function optionalString(record: JsonRecord, key: string, where: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`${where}: "${key}" is not a string`);
  return value;
}

function stringList(value: unknown, where: string): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new Error(`${where}: expected a string or a list of strings`);
  }
  return value;
}

/**
 * Merges two JSON values as the OCSF compiler does: objects key by key (recursively), an empty
 * object yields to the other side, and anything else is replaced by the right-hand value.
 */
function deepMerge(left: unknown, right: unknown): unknown {
  if (right === undefined) return left;
  if (!isRecord(left) || !isRecord(right)) return right;
  if (Object.keys(left).length === 0) return right;
  if (Object.keys(right).length === 0) return left;
  const merged: JsonRecord = { ...left };
  for (const [key, value] of Object.entries(right)) {
    merged[key] = Object.hasOwn(left, key) ? deepMerge(left[key], value) : value;
  }
  return merged;
}

function mergeAttributeMaps(base: JsonRecord, overrides: JsonRecord): JsonRecord {
  const merged = deepMerge(base, overrides);
  return isRecord(merged) ? merged : {};
}

/** The attributes an included file adds; a profile's attributes are tagged with the profile. */
function includedAttributes(dir: string, file: string): JsonRecord {
  const included = readJsonRecord(join(dir, file));
  const attributes = recordField(included, 'attributes', file);
  if (Object.hasOwn(attributes, '$include')) throw new Error(`${file}: nested $include is not supported`);
  if (included.meta !== 'profile') return attributes;
  const profile = optionalString(included, 'name', file);
  return Object.fromEntries(
    Object.entries(attributes).map(([name, attribute]) => [name, { ...(isRecord(attribute) ? attribute : {}), profile }]),
  );
}

/** A definition with its "$include" entries replaced by the included attributes (its own win). */
function withIncludes(dir: string, definition: JsonRecord, where: string): JsonRecord {
  const attributes = recordField(definition, 'attributes', where);
  for (const [name, attribute] of Object.entries(attributes)) {
    if (isRecord(attribute) && Object.hasOwn(attribute, '$include')) {
      throw new Error(`${where}: $include inside attribute "${name}" is not supported`);
    }
  }
  const includes = attributes.$include;
  if (includes === undefined) return definition;
  let merged: JsonRecord = Object.fromEntries(Object.entries(attributes).filter(([name]) => name !== '$include'));
  for (const file of stringList(includes, `${where} $include`)) {
    merged = mergeAttributeMaps(includedAttributes(dir, file), merged);
  }
  return { ...definition, attributes: merged };
}

/** Every definition file under `subdir`, with includes applied, keyed by its "name". */
function readDefinitions(dir: string, subdir: string): Map<string, JsonRecord> {
  const files = readdirSync(join(dir, subdir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort();
  const definitions = new Map<string, JsonRecord>();
  for (const file of files) {
    const where = join(subdir, file);
    const definition = withIncludes(dir, readJsonRecord(join(dir, subdir, file)), where);
    const name = optionalString(definition, 'name', where);
    if (name === undefined) throw new Error(`${where}: no "name"`);
    if (definitions.has(name)) throw new Error(`${where}: a second definition named "${name}"`);
    if (definition.extends === name) throw new Error(`${where}: patching "${name}" in place is not supported`);
    definitions.set(name, definition);
  }
  return definitions;
}

/**
 * A definition merged with its extends chain: attributes deep-merged (the child's win, an
 * attribute set to null is removed), every other key taken from the child when it has one.
 */
function resolveExtends(
  name: string,
  definitions: ReadonlyMap<string, JsonRecord>,
  resolved: Map<string, JsonRecord>,
  resolving: ReadonlySet<string> = new Set(),
): JsonRecord {
  const done = resolved.get(name);
  if (done) return done;
  const definition = definitions.get(name);
  if (!definition) throw new Error(`unknown definition "${name}"`);
  if (resolving.has(name)) throw new Error(`extends cycle through "${name}"`);
  const parentName = optionalString(definition, 'extends', name);
  let result = definition;
  if (parentName !== undefined) {
    if (!definitions.has(parentName)) throw new Error(`"${name}" extends unknown "${parentName}"`);
    const parent = resolveExtends(parentName, definitions, resolved, new Set([...resolving, name]));
    const attributes = mergeAttributeMaps(recordField(parent, 'attributes', parentName), recordField(definition, 'attributes', name));
    result = { ...parent, ...definition, attributes: Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null)) };
  }
  resolved.set(name, result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Building the schema

function typeRule(name: string, definition: JsonRecord): TypeRule {
  const { regex, max_len: maxLen, range, values } = definition;
  if (range !== undefined && !(Array.isArray(range) && range.length === 2 && range.every((n) => typeof n === 'number'))) {
    throw new Error(`type ${name}: "range" is not a pair of numbers`);
  }
  return {
    name,
    regex: typeof regex === 'string' ? new RegExp(regex) : undefined,
    maxLen: typeof maxLen === 'number' ? maxLen : undefined,
    range: range === undefined ? undefined : [range[0] as number, range[1] as number],
    values: Array.isArray(values) ? values : undefined,
  };
}

/** Each dictionary type with the primitive it derives from and the rules along the way. */
function loadScalarTypes(dictionary: JsonRecord): Map<string, ScalarType> {
  const definitions = recordField(recordField(dictionary, 'types', 'dictionary.json'), 'attributes', 'dictionary.json types');
  const scalarTypes = new Map<string, ScalarType>();
  for (const name of Object.keys(definitions)) {
    const rules: TypeRule[] = [];
    let current: string | undefined = name;
    let primitive = name;
    while (current !== undefined) {
      if (rules.some((rule) => rule.name === current)) throw new Error(`type cycle through ${current}`);
      const definition = definitions[current];
      if (!isRecord(definition)) throw new Error(`type ${name} derives from unknown type ${current}`);
      rules.push(typeRule(current, definition));
      primitive = current;
      current = optionalString(definition, 'type', `type ${current}`);
    }
    if (!Object.hasOwn(PRIMITIVE_CHECKS, primitive)) throw new Error(`type ${name} derives from unsupported ${primitive}`);
    scalarTypes.set(name, { name, primitive, rules });
  }
  return scalarTypes;
}

function enumValues(value: unknown, where: string): ReadonlySet<string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error(`${where}: "enum" is not an object`);
  return new Set(Object.keys(value));
}

/** The `@deprecated` marking of a definition, as its message with the HTML tags dropped; undefined when it has none. */
function deprecationOf(definition: unknown, where: string): string | undefined {
  if (!isRecord(definition)) return undefined;
  const marking = definition['@deprecated'];
  if (marking === undefined || marking === null) return undefined;
  if (!isRecord(marking)) throw new Error(`${where}: "@deprecated" is not an object`);
  const message = optionalString(marking, 'message', `${where} @deprecated`)?.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
  const since = optionalString(marking, 'since', `${where} @deprecated`);
  return `${message === undefined || message === '' ? 'deprecated' : message}${since === undefined ? '' : ` (deprecated since ${since})`}`;
}

/** The enum values marked `@deprecated`, each with its message. */
function deprecatedEnumValues(value: unknown, where: string): Map<string, string> {
  const deprecated = new Map<string, string>();
  if (!isRecord(value)) return deprecated;
  for (const [key, entry] of Object.entries(value)) {
    const message = deprecationOf(entry, `${where} enum ${key}`);
    if (message !== undefined) deprecated.set(key, message);
  }
  return deprecated;
}

/** An attribute of a class or object: its dictionary entry deep-merged with the local definition. */
function finalAttribute(name: string, local: unknown, dictionaryAttributes: JsonRecord, where: string): AttributeDef {
  const entry = dictionaryAttributes[name];
  if (!isRecord(entry)) throw new Error(`${where}: attribute "${name}" is not in the dictionary`);
  const merged = deepMerge(entry, local);
  if (!isRecord(merged)) throw new Error(`${where}: attribute "${name}" is not an object`);
  const type = optionalString(merged, 'type', `${where}.${name}`);
  if (type === undefined) throw new Error(`${where}: attribute "${name}" has no type`);
  const requirement = optionalString(merged, 'requirement', `${where}.${name}`) ?? 'optional';
  if (!REQUIREMENTS.includes(requirement)) throw new Error(`${where}: attribute "${name}" has requirement "${requirement}"`);
  return {
    name,
    type,
    isArray: merged.is_array === true,
    requirement: requirement as Requirement,
    enumValues: enumValues(merged.enum, `${where}.${name}`),
    profile: optionalString(merged, 'profile', `${where}.${name}`),
    // The dictionary's marking holds wherever the attribute is used; a class or object may add its own.
    deprecated: deprecationOf(merged, `${where}.${name}`),
    deprecatedValues: deprecatedEnumValues(merged.enum, `${where}.${name}`),
  };
}

/** The `<name>_dt` companions the datetime profile gives every timestamp_t attribute. */
function datetimeCompanions(attributes: ReadonlyMap<string, AttributeDef>): AttributeDef[] {
  return [...attributes.values()]
    .filter((attribute) => attribute.type === 'timestamp_t' && !attributes.has(`${attribute.name}_dt`))
    .map((attribute) => ({
      name: `${attribute.name}_dt`,
      type: 'datetime_t',
      isArray: attribute.isArray,
      requirement: 'optional',
      enumValues: undefined,
      profile: DATETIME_PROFILE,
      deprecated: undefined,
      deprecatedValues: new Map<string, string>(),
    }));
}

function constraintsOf(definition: JsonRecord, where: string): Constraint[] {
  return Object.entries(recordField(definition, 'constraints', where)).map(([kind, attributes]) => {
    if (!CONSTRAINT_KINDS.includes(kind)) throw new Error(`${where}: unsupported constraint "${kind}"`);
    return { kind: kind as ConstraintKind, attributes: stringList(attributes, `${where} constraint ${kind}`) };
  });
}

interface BuildContext {
  readonly dictionaryAttributes: JsonRecord;
  readonly profiles: ReadonlySet<string>;
}

/**
 * A class or object from its definition merged with its extends chain. Whether it is deprecated is
 * read from its own file (`own`), not inherited: a class extending a deprecated one is not itself.
 */
function buildShape(kind: Shape['kind'], name: string, definition: JsonRecord, own: JsonRecord, context: BuildContext): Shape {
  const where = `${kind} ${name}`;
  const attributes = new Map<string, AttributeDef>();
  for (const [attributeName, local] of Object.entries(recordField(definition, 'attributes', where))) {
    attributes.set(attributeName, finalAttribute(attributeName, local, context.dictionaryAttributes, where));
  }
  if (context.profiles.has(DATETIME_PROFILE)) {
    for (const companion of datetimeCompanions(attributes)) attributes.set(companion.name, companion);
  }
  return { kind, name, attributes, constraints: constraintsOf(definition, where), deprecated: deprecationOf(own, where) };
}

function loadCategoryUids(dir: string): Map<string, number> {
  const categories = recordField(readJsonRecord(join(dir, 'categories.json')), 'attributes', 'categories.json');
  return new Map(
    Object.entries(categories).map(([name, category]) => {
      const uid = isRecord(category) ? category.uid : undefined;
      if (typeof uid !== 'number') throw new Error(`categories.json: category "${name}" has no numeric uid`);
      return [name, uid];
    }),
  );
}

function loadProfileNames(dir: string): Set<string> {
  const files = readdirSync(join(dir, 'profiles')).filter((file) => file.endsWith('.json'));
  return new Set(files.map((file) => optionalString(readJsonRecord(join(dir, 'profiles', file)), 'name', file) ?? file.slice(0, -5)));
}

function loadObjects(dir: string, context: BuildContext): Map<string, Shape> {
  const definitions = readDefinitions(dir, 'objects');
  const resolved = new Map<string, JsonRecord>();
  const objects = new Map<string, Shape>();
  for (const [name, definition] of definitions) {
    const object = resolveExtends(name, definitions, resolved);
    // Names starting with "_" are abstract bases, only ever reached through extends.
    if (!name.startsWith('_')) objects.set(name, buildShape('object', name, object, definition, context));
  }
  return objects;
}

/**
 * The concrete classes (those with a uid, and the root event class they all extend), keyed by
 * class_uid = category uid * 1000 + class uid. The identity attributes lose the root's enums
 * (class_uid 0, category_uid 0): validateOcsfEvent checks them against the class itself.
 */
function loadClasses(dir: string, context: BuildContext, categoryUids: ReadonlyMap<string, number>): Map<number, OcsfClass> {
  const definitions = readDefinitions(dir, 'events');
  const resolved = new Map<string, JsonRecord>();
  const classes = new Map<number, OcsfClass>();
  for (const [name, definition] of definitions) {
    const resolvedClass = resolveExtends(name, definitions, resolved);
    const uid = resolvedClass.uid;
    if (uid === undefined && definition.extends !== undefined) continue;
    if (uid !== undefined && typeof uid !== 'number') throw new Error(`class ${name}: "uid" is not a number`);
    const category = optionalString(resolvedClass, 'category', `class ${name}`) ?? '';
    // A class outside categories.json (the root event's "other") has category 0.
    const categoryUid = categoryUids.get(category) ?? 0;
    const classUid = categoryUid * 1000 + (uid ?? 0);
    if (classes.has(classUid)) throw new Error(`class ${name}: class_uid ${classUid} is taken`);
    const shape = buildShape('class', name, resolvedClass, definition, context);
    const attributes = new Map(shape.attributes);
    for (const identity of ['class_uid', 'category_uid']) {
      const attribute = attributes.get(identity);
      if (attribute) attributes.set(identity, { ...attribute, enumValues: undefined });
    }
    classes.set(classUid, { ...shape, attributes, classUid, category, categoryUid });
  }
  return classes;
}

/** Every attribute type must be a dictionary type or a concrete object. */
function assertTypesResolve(schema: OcsfSchema): void {
  const shapes: Shape[] = [...schema.classes.values(), ...schema.objects.values()];
  for (const shape of shapes) {
    for (const attribute of shape.attributes.values()) {
      if (!schema.scalarTypes.has(attribute.type) && !schema.objects.has(attribute.type)) {
        throw new Error(`${shape.kind} ${shape.name}: attribute "${attribute.name}" has unknown type "${attribute.type}"`);
      }
    }
  }
}

/** Reads and resolves an OCSF schema directory (categories.json, dictionary.json, events/, objects/, profiles/). */
export function loadOcsfSchema(dir: string): OcsfSchema {
  const dictionary = readJsonRecord(join(dir, 'dictionary.json'));
  const profiles = loadProfileNames(dir);
  const context: BuildContext = { dictionaryAttributes: recordField(dictionary, 'attributes', 'dictionary.json'), profiles };
  const versionFile = readJsonRecord(join(dir, 'version.json'));
  const schema: OcsfSchema = {
    version: optionalString(versionFile, 'version', 'version.json') ?? '',
    scalarTypes: loadScalarTypes(dictionary),
    classes: loadClasses(dir, context, loadCategoryUids(dir)),
    objects: loadObjects(dir, context),
    profiles,
  };
  assertTypesResolve(schema);
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Validating an event

interface Walk {
  readonly schema: OcsfSchema;
  readonly activeProfiles: ReadonlySet<string>;
  readonly problems: string[];
}

const ROOT_LABEL = '<event>';

function childPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function label(path: string): string {
  return path === '' ? ROOT_LABEL : path;
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function typeLabel(type: ScalarType): string {
  return type.primitive === type.name ? type.name : `${type.name} (${type.primitive})`;
}

function ruleProblem(rule: TypeRule, value: unknown): string | undefined {
  if (rule.values && !rule.values.includes(value)) return `${JSON.stringify(value)} is not one of the ${rule.name} values`;
  if (rule.range && typeof value === 'number' && (value < rule.range[0] || value > rule.range[1])) {
    return `${value} is outside the ${rule.name} range ${rule.range[0]}..${rule.range[1]}`;
  }
  if (typeof value !== 'string') return undefined;
  if (rule.maxLen !== undefined && value.length > rule.maxLen) {
    return `length ${value.length} exceeds the ${rule.name} max_len ${rule.maxLen}`;
  }
  if (rule.regex && !rule.regex.test(value)) return `${JSON.stringify(value)} does not match the ${rule.name} pattern`;
  return undefined;
}

/** Why `value` is not a valid `type`, or undefined when it is. */
function scalarProblem(type: ScalarType, value: unknown): string | undefined {
  const check = PRIMITIVE_CHECKS[type.primitive];
  if (check && !check(value)) return `expected ${typeLabel(type)}, got ${jsonKind(value)}`;
  for (const rule of type.rules) {
    const problem = ruleProblem(rule, value);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function enumProblem(attribute: AttributeDef, value: unknown): string | undefined {
  if (!attribute.enumValues) return undefined;
  const key = String(value);
  if (!attribute.enumValues.has(key)) return `${JSON.stringify(value)} is not in the enum of ${attribute.name} (${[...attribute.enumValues].join(', ')})`;
  const deprecated = attribute.deprecatedValues.get(key);
  return deprecated === undefined ? undefined : `${JSON.stringify(value)} is a deprecated value of ${attribute.name}: ${deprecated}`;
}

/** One value (or one array element) of an attribute: a dictionary type, or an object walked in turn. */
function checkValue(walk: Walk, attribute: AttributeDef, value: unknown, path: string): void {
  const scalar = walk.schema.scalarTypes.get(attribute.type);
  if (scalar) {
    const problem = scalarProblem(scalar, value) ?? enumProblem(attribute, value);
    if (problem !== undefined) walk.problems.push(`${path}: ${problem}`);
    return;
  }
  const object = walk.schema.objects.get(attribute.type);
  if (!object) throw new Error(`unknown type ${attribute.type}`);
  if (isRecord(value)) checkShape(walk, object, value, path);
  else walk.problems.push(`${path}: expected ${attribute.type} object, got ${jsonKind(value)}`);
}

function checkAttribute(walk: Walk, attribute: AttributeDef, value: unknown, path: string): void {
  if (isAbsent(value)) {
    if (attribute.requirement === 'required') walk.problems.push(`${path}: required attribute is missing`);
    return;
  }
  if (attribute.deprecated !== undefined) walk.problems.push(`${path}: deprecated attribute: ${attribute.deprecated}`);
  if (!attribute.isArray) {
    checkValue(walk, attribute, value, path);
  } else if (Array.isArray(value)) {
    value.forEach((element: unknown, index) => {
      checkValue(walk, attribute, element, `${path}[${index}]`);
    });
  } else {
    walk.problems.push(`${path}: expected array of ${attribute.type}, got ${jsonKind(value)}`);
  }
}

function activeAttributes(shape: Shape, activeProfiles: ReadonlySet<string>): Map<string, AttributeDef> {
  return new Map(
    [...shape.attributes].filter(([, attribute]) => attribute.profile === undefined || activeProfiles.has(attribute.profile)),
  );
}

function checkUnknownKeys(walk: Walk, shape: Shape, known: ReadonlyMap<string, AttributeDef>, value: JsonRecord, path: string): void {
  // An object with no attributes at all (such as "object", the type of unmapped) takes any keys.
  if (shape.attributes.size === 0) return;
  for (const key of Object.keys(value)) {
    if (known.has(key)) continue;
    const profile = shape.attributes.get(key)?.profile;
    walk.problems.push(
      profile === undefined
        ? `${childPath(path, key)}: unknown attribute (not defined in ${shape.kind} ${shape.name})`
        : `${childPath(path, key)}: attribute of profile "${profile}", which metadata.profiles does not list`,
    );
  }
}

function isPresentAt(value: JsonRecord, dottedPath: string): boolean {
  let current: unknown = value;
  for (const segment of dottedPath.split('.')) {
    if (!isRecord(current)) return false;
    current = current[segment];
  }
  return !isAbsent(current);
}

function checkConstraints(walk: Walk, shape: Shape, value: JsonRecord, path: string): void {
  for (const constraint of shape.constraints) {
    const present = constraint.attributes.filter((attribute) => isPresentAt(value, attribute)).length;
    const listed = constraint.attributes.join(', ');
    const source = `constraint of ${shape.kind} ${shape.name}`;
    if (constraint.kind === 'at_least_one' && present === 0) {
      walk.problems.push(`${label(path)}: at least one of ${listed} is required (${source})`);
    }
    if (constraint.kind === 'just_one' && present !== 1) {
      walk.problems.push(`${label(path)}: exactly one of ${listed} is required, got ${present} (${source})`);
    }
  }
}

/** A JSON object against a class or object: unknown keys, required attributes, each value, constraints. */
function checkShape(walk: Walk, shape: Shape, value: JsonRecord, path: string): void {
  // A deprecated class is named at class_uid, which chose it; a deprecated object where it is used.
  if (shape.deprecated !== undefined) walk.problems.push(`${shape.kind === 'class' ? 'class_uid' : label(path)}: deprecated ${shape.kind} ${shape.name}: ${shape.deprecated}`);
  const known = activeAttributes(shape, walk.activeProfiles);
  checkUnknownKeys(walk, shape, known, value, path);
  for (const attribute of known.values()) {
    checkAttribute(walk, attribute, value[attribute.name], childPath(path, attribute.name));
  }
  checkConstraints(walk, shape, value, path);
}

/** The event's class, or the problem that stops validation before it starts. */
function findClass(schema: OcsfSchema, classUid: unknown): OcsfClass | string {
  if (isAbsent(classUid)) return 'class_uid: required attribute is missing';
  if (!Number.isInteger(classUid)) return `class_uid: expected integer_t, got ${jsonKind(classUid)}`;
  return schema.classes.get(classUid as number) ?? `class_uid: ${classUid as number} is not a known class`;
}

/** The profiles metadata.profiles lists; a name the schema does not define is a problem. */
function listedProfiles(schema: OcsfSchema, event: JsonRecord, problems: string[]): Set<string> {
  const listed = isRecord(event.metadata) ? event.metadata.profiles : undefined;
  if (!Array.isArray(listed)) return new Set();
  const names = new Set<string>();
  listed.forEach((name: unknown, index) => {
    if (typeof name !== 'string') return;
    if (schema.profiles.has(name)) names.add(name);
    else problems.push(`metadata.profiles[${index}]: unknown profile ${JSON.stringify(name)}`);
  });
  return names;
}

function checkClassIdentity(ocsfClass: OcsfClass, event: JsonRecord, problems: string[]): void {
  const { category_uid: categoryUid, activity_id: activityId, type_uid: typeUid } = event;
  if (Number.isInteger(categoryUid) && categoryUid !== ocsfClass.categoryUid) {
    problems.push(
      `category_uid: expected ${ocsfClass.categoryUid} (${ocsfClass.category}) for class_uid ${ocsfClass.classUid}, got ${categoryUid as number}`,
    );
  }
  if (Number.isInteger(activityId) && Number.isInteger(typeUid)) {
    const expected = ocsfClass.classUid * 100 + (activityId as number);
    if (typeUid !== expected) {
      problems.push(`type_uid: expected ${expected} (class_uid * 100 + activity_id), got ${typeUid as number}`);
    }
  }
}

/** The problems of one OCSF event, each prefixed with its JSON path; an empty list means valid. */
export function validateOcsfEvent(schema: OcsfSchema, event: unknown): string[] {
  if (!isRecord(event)) return [`${ROOT_LABEL}: expected an object, got ${jsonKind(event)}`];
  const ocsfClass = findClass(schema, event.class_uid);
  if (typeof ocsfClass === 'string') return [ocsfClass];
  const problems: string[] = [];
  const activeProfiles = listedProfiles(schema, event, problems);
  checkClassIdentity(ocsfClass, event, problems);
  checkShape({ schema, activeProfiles, problems }, ocsfClass, event, '');
  return problems;
}
