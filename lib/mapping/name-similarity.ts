// Pure: how alike a column name and a target field name are, whatever their case, separators and
// usual affixes.

export type NameMatch = {
  /** 1 for the very same name, down to about 0.5 for a loose resemblance. */
  score: number;
  /** `same`: equal once case and separators are ignored; `similar`: anything looser. */
  kind: 'same' | 'similar';
};

/**
 * Names that mean the same thing in customer databases and SaaS schemas, compared without
 * separators. One group per meaning; a name belongs to at most one group.
 */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['email', 'emailaddress', 'mail', 'mailaddress', 'emailaddr'],
  ['name', 'fullname', 'displayname', 'contactname', 'personname', 'customername'],
  ['firstname', 'givenname', 'fname', 'forename', 'first'],
  ['lastname', 'surname', 'familyname', 'lname', 'last'],
  [
    'phone',
    'phonenumber',
    'phoneno',
    'telephone',
    'tel',
    'mobile',
    'mobilephone',
    'mobilenumber',
    'cell',
    'cellphone',
    'msisdn',
  ],
  [
    'createdat',
    'created',
    'createdon',
    'createdate',
    'createddate',
    'creationdate',
    'createtime',
    'createdtime',
    'datecreated',
    'insertedat',
    'inserted',
    'insertdate',
    'signupat',
    'signedupat',
    'signupdate',
    'signup',
    'registeredat',
    'registrationdate',
    'joinedat',
    'joindate',
    'placedat',
    'orderedat',
    'purchasedat',
  ],
  [
    'updatedat',
    'updated',
    'updatedon',
    'updatetime',
    'modifiedat',
    'modified',
    'modifiedon',
    'lastmodified',
    'lastmodifiedat',
    'lastupdated',
    'lastupdatedat',
    'datemodified',
    'changedat',
  ],
  ['deletedat', 'removedat', 'archivedat'],
  ['country', 'countrycode', 'countryiso', 'isocountry', 'nation'],
  ['zip', 'zipcode', 'postalcode', 'postcode', 'postal'],
  ['city', 'town', 'locality'],
  ['state', 'region', 'province', 'county'],
  ['street', 'address', 'streetaddress', 'addressline1', 'address1', 'line1'],
  ['externalid', 'externalref', 'extid', 'extref', 'externalreference', 'reference'],
  [
    'company',
    'companyname',
    'organization',
    'organisation',
    'org',
    'orgname',
    'business',
    'businessname',
  ],
  ['amount', 'total', 'totalamount', 'grandtotal', 'price'],
  ['currency', 'currencycode', 'ccy'],
  ['plan', 'planname', 'tier', 'subscription', 'subscriptionplan', 'pricingplan'],
  ['active', 'isactive', 'enabled', 'isenabled'],
  ['timezone', 'tz', 'tzname'],
  ['locale', 'language', 'lang'],
  ['website', 'url', 'homepage', 'site', 'websiteurl'],
  ['notes', 'note', 'comment', 'comments', 'remarks'],
  ['birthday', 'birthdate', 'dateofbirth', 'dob'],
  ['avatar', 'avatarurl', 'picture', 'photo', 'photourl', 'imageurl'],
  ['jobtitle', 'title', 'position'],
  ['occurredat', 'occurred', 'eventtime', 'eventat', 'happenedat', 'eventtimestamp', 'timestamp'],
  ['type', 'kind', 'eventtype', 'event', 'eventname'],
  ['properties', 'payload', 'props', 'attributes', 'traits', 'metadata', 'meta'],
  ['quantity', 'qty'],
  ['userid', 'customerid', 'memberid', 'contactid', 'clientid', 'personid'],
];

const GROUP_OF: ReadonlyMap<string, number> = new Map(
  SYNONYM_GROUPS.flatMap((names, index) => names.map((name) => [name, index] as const)),
);

const LEADING_NOISE = new Set(['is', 'has', 'the']);
const TRAILING_NOISE = new Set(['id', 'at', 'on', 'date', 'time', 'ts', 'code', 'ref']);
// The table a column sits in often prefixes it (customer_email); the target rarely does.
const ENTITY_PREFIXES = new Set([
  'user',
  'customer',
  'account',
  'contact',
  'client',
  'member',
  'person',
  'order',
  'event',
]);

/** `createdAt`, `Created_At`, `created-at` → ["created", "at"]. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * The tokens that carry the meaning: `is_active` → active, `customer_email` → email, `created_at` →
 * created.
 */
export function coreTokens(tokens: readonly string[]): string[] {
  let core = [...tokens];
  while (core.length > 1 && LEADING_NOISE.has(core[0] ?? '')) core = core.slice(1);
  while (core.length > 1 && TRAILING_NOISE.has(core[core.length - 1] ?? ''))
    core = core.slice(0, -1);
  if (core.length > 1 && ENTITY_PREFIXES.has(core[0] ?? '')) core = core.slice(1);
  return core;
}

function synonymGroup(tokens: readonly string[]): number | undefined {
  return GROUP_OF.get(tokens.join('')) ?? GROUP_OF.get(coreTokens(tokens).join(''));
}

/**
 * The meaning group a name belongs to (email, name, phone, created_at…), for callers that key
 * behaviour off it.
 */
export function nameConcept(name: string): string | undefined {
  const group = synonymGroup(nameTokens(name));
  return group === undefined ? undefined : SYNONYM_GROUPS[group]?.[0];
}

// Reused between calls: a schema of hundreds of fields against a wide table compares a great many
// names.
let previousRow = new Uint32Array(65);
let currentRow = new Uint32Array(65);

/**
 * Levenshtein distance. Past `max` it stops early and returns max + 1, which is all a caller needs
 * to know; only cells within `max` of the diagonal can stay under it, so only those are computed.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const band = Math.min(max, Math.max(a.length, b.length));
  const beyond = band + 1;
  if (previousRow.length <= b.length + 1) {
    previousRow = new Uint32Array(b.length + 2);
    currentRow = new Uint32Array(b.length + 2);
  }
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = Math.min(j, beyond);
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(b.length, i + band);
    current[0] = Math.min(i, beyond);
    if (from > 1) current[from - 1] = beyond;
    let rowMinimum = from === 1 ? (current[0] ?? beyond) : beyond;
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? beyond) + 1,
        (current[j - 1] ?? beyond) + 1,
        (previous[j - 1] ?? beyond) + cost,
        beyond,
      );
      current[j] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (to < b.length) current[to + 1] = beyond;
    if (rowMinimum > max) return max + 1;
    [previous, current] = [current, previous];
  }
  const distance = previous[b.length] ?? beyond;
  return distance > max ? max + 1 : distance;
}

// Long names are compared by their first characters only, which bounds the cost of a large schema.
const MAX_COMPARED_LENGTH = 64;

/** A name taken apart once, so that comparing it with many others costs little. */
export type NameProfile = {
  name: string;
  /** Tokens joined by `_`: equal for names that differ only in case and separators. */
  canonical: string;
  /** Tokens joined without separators: `firstname` for both first_name and FirstName. */
  compact: string;
  core: string[];
  coreCompact: string;
  group: number | undefined;
  /** Ends in `id` after something else (`order_id`). */
  isEntityId: boolean;
};

export function nameProfile(name: string): NameProfile {
  const tokens = nameTokens(name);
  const core = coreTokens(tokens);
  return {
    name,
    canonical: tokens.join('_'),
    compact: tokens.join('').slice(0, MAX_COMPARED_LENGTH),
    core,
    coreCompact: core.join(''),
    group: synonymGroup(tokens),
    isEntityId: tokens.length > 1 && tokens[tokens.length - 1] === 'id',
  };
}

function profileMatch(target: NameProfile, column: NameProfile): NameMatch | null {
  if (!target.compact || !column.compact) return null;
  if (target.canonical === column.canonical) return { score: 0.97, kind: 'same' };
  if (target.compact === column.compact) return { score: 0.95, kind: 'same' };
  if (target.coreCompact === column.coreCompact) return { score: 0.85, kind: 'similar' };
  if (target.group !== undefined && target.group === column.group)
    return { score: 0.8, kind: 'similar' };
  // Two known meanings that differ (first_name and name, country and county) are not near misses of
  // each other.
  if (target.group !== undefined && column.group !== undefined) return null;
  let best: NameMatch | null = null;
  const longest = Math.max(target.compact.length, column.compact.length);
  // Below 80% alike two names are different words, so skip the distance when the lengths already
  // rule that out.
  const allowed = Math.floor(longest * 0.2);
  if (
    Math.min(target.compact.length, column.compact.length) >= 4 &&
    Math.abs(target.compact.length - column.compact.length) <= allowed
  ) {
    const similarity = 1 - editDistance(target.compact, column.compact, allowed) / longest;
    if (similarity >= 0.8) best = { score: 0.5 + (similarity - 0.8) * 1.25, kind: 'similar' };
  }
  const [shorter, longer] =
    target.core.length <= column.core.length
      ? [target.core, column.core]
      : [column.core, target.core];
  const contained =
    shorter.join('').length >= 3 && shorter.every((token) => longer.includes(token));
  if (contained && (!best || best.score < 0.6)) best = { score: 0.6, kind: 'similar' };
  // `order_id` from a table's own `id`: weak, since the table may hold something else, but often
  // what is meant.
  if (!best && column.canonical === 'id' && target.isEntityId)
    best = { score: 0.55, kind: 'similar' };
  return best;
}

/**
 * A target field's path taken apart once: the whole path, and its last segment when it is nested.
 */
export type TargetNameProfile = { path: string; whole: NameProfile; leaf: NameProfile | null };

export function targetNameProfile(path: string): TargetNameProfile {
  const segments = path.split('.');
  return {
    path,
    whole: nameProfile(path),
    leaf: segments.length > 1 ? nameProfile(segments[segments.length - 1] ?? '') : null,
  };
}

// A column named like the last segment of a nested field (city for address.city) says a little
// less.
const LEAF_ONLY_FACTOR = 0.92;

export function matchNames(target: TargetNameProfile, column: NameProfile): NameMatch | null {
  if (target.path === column.name) return { score: 1, kind: 'same' };
  const whole = profileMatch(target.whole, column);
  if (!target.leaf) return whole;
  const leafMatch =
    target.leaf.name === column.name ? { score: 1 } : profileMatch(target.leaf, column);
  const leaf = leafMatch
    ? { score: leafMatch.score * LEAF_ONLY_FACTOR, kind: 'similar' as const }
    : null;
  if (!whole) return leaf;
  return leaf && leaf.score > whole.score ? leaf : whole;
}

/**
 * How alike a target field (a dotted path) and a column name are, or null when they are unrelated.
 * A column named like the last segment of a nested target (`city` for `address.city`) counts a
 * little less.
 */
export function nameSimilarity(target: string, column: string): NameMatch | null {
  return matchNames(targetNameProfile(target), nameProfile(column));
}
