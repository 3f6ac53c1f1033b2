// Realistic cell values: the awkward cases a real customer database holds (unicode names, notes
// that break naive CSV/COPY, numbers beyond 2^53, nested JSON with nulls), in plausible
// proportions.
import { Weighted, type Prng } from './prng';

/** [display, ascii for e-mail addresses] */
type Name = readonly [string, string];

const LATIN_FIRST: readonly Name[] = [
  ['Emma', 'emma'],
  ['Liam', 'liam'],
  ['Olivia', 'olivia'],
  ['Noah', 'noah'],
  ['Ava', 'ava'],
  ['Lucas', 'lucas'],
  ['José', 'jose'],
  ['Zoë', 'zoe'],
  ['François', 'francois'],
  ['Björn', 'bjorn'],
  ['Søren', 'soren'],
  ['Łukasz', 'lukasz'],
  ['Ångström', 'angstrom'],
  ['Chloé', 'chloe'],
  ['Dvořák', 'dvorak'],
  ['İlkay', 'ilkay'],
  ['Mary-Jane', 'maryjane'],
  ["D'Arcy", 'darcy'],
];
const LATIN_LAST: readonly Name[] = [
  ['Smith', 'smith'],
  ['García', 'garcia'],
  ['Müller', 'muller'],
  ['Dubois', 'dubois'],
  ['Rossi', 'rossi'],
  ['Nowak', 'nowak'],
  ['Ó Briain', 'obriain'],
  ['van der Berg', 'vanderberg'],
  ['Johansson', 'johansson'],
  ['Núñez', 'nunez'],
  ["O'Neil", 'oneil'],
  ['Şahin', 'sahin'],
  ['Kowalczyk', 'kowalczyk'],
  ['Lefèvre', 'lefevre'],
  ['Brown', 'brown'],
  ['Nguyễn', 'nguyen'],
];
const CJK_NAMES: readonly Name[] = [
  ['王芳', 'wang.fang'],
  ['李伟', 'li.wei'],
  ['张敏', 'zhang.min'],
  ['佐藤 健', 'sato.ken'],
  ['鈴木 花子', 'suzuki.hanako'],
  ['김민준', 'kim.minjun'],
  ['이서연', 'lee.seoyeon'],
  ['陳大文', 'chan.taiman'],
  ['高橋 𠮷子', 'takahashi.yoshiko'],
];
const RTL_NAMES: readonly Name[] = [
  ['محمد علي', 'mohamed.ali'],
  ['فاطمة الزهراء', 'fatima.zahra'],
  ['يوسف حداد', 'youssef.haddad'],
  ['דוד לוי', 'david.levi'],
  ['נועה כהן', 'noa.cohen'],
  ['سارا رضایی', 'sara.rezaei'],
];
const EMOJI_NAMES: readonly Name[] = [
  ['Ana 🌸 Lima', 'ana.lima'],
  ['Max 🚀', 'max'],
  ['Kai 👨‍👩‍👧', 'kai'],
  ['Lea ❤️ Roth', 'lea.roth'],
  ['🦄 Unicorn Labs', 'unicorn'],
];
const DOMAINS = [
  'gmail.com',
  'outlook.com',
  'yahoo.co.jp',
  'proton.me',
  'acme.io',
  'example.org',
  'web.de',
  'mail.ru',
];

export interface Person {
  fullName: string | null;
  email: string;
}

/**
 * The id in the local part keeps every address unique; case and plus-addressing vary like real
 * sign-ups.
 */
export function person(rng: Prng, id: number): Person {
  const roll = rng.next();
  let name: Name;
  if (roll < 0.7) {
    const first = rng.pick(LATIN_FIRST);
    const last = rng.pick(LATIN_LAST);
    name = [`${first[0]} ${last[0]}`, `${first[1]}.${last[1]}`];
  } else if (roll < 0.83) name = rng.pick(CJK_NAMES);
  else if (roll < 0.93) name = rng.pick(RTL_NAMES);
  else name = rng.pick(EMOJI_NAMES);
  const domain = rng.pick(DOMAINS);
  const style = rng.next();
  let email = `${name[1]}${id}@${domain}`;
  if (style < 0.1) email = `${name[1]}${id}+${rng.pick(['news', 'shop', 'work'])}@${domain}`;
  else if (style < 0.16) email = email.toUpperCase();
  else if (style < 0.22) email = `${capitalize(name[1])}${id}@${capitalize(domain)}`;
  // A few legacy rows without a name, a few with stray whitespace from a form.
  const fullName = rng.chance(0.01) ? null : rng.chance(0.01) ? ` ${name[0]}  ` : name[0];
  return { fullName, email };
}

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

// Each one breaks a naive CSV writer, COPY encoder or line-based reader in its own way.
const NOTES = [
  'VIP customer',
  'Called twice.\nPrefers e-mail.',
  'Said "no thanks" to the upsell',
  'Paris, France; net-30, invoiced quarterly',
  'col1\tcol2\tcol3',
  'Path: C:\\Users\\billing\\export',
  '\\N is not null here',
  'Windows line\r\nending',
  'Préfère être contacté en français',
  '请用中文联系',
  'ملاحظة: العميل يفضل الهاتف',
  'O\'Brien\'s account; ask for "Sam"',
  '',
  '   leading and trailing spaces   ',
  'Emoji 🎉 in notes, with a comma',
  'Multi\n\nparagraph\n\n- bullet, "quoted"\n- back\\slash',
];

export function notes(rng: Prng): string | null {
  return rng.chance(0.65) ? null : rng.pick(NOTES);
}

export const COUNTRIES = new Weighted<string>([
  ['US', 30],
  ['GB', 8],
  ['DE', 8],
  ['FR', 7],
  ['JP', 6],
  ['BR', 5],
  ['IN', 5],
  ['CN', 4],
  ['CA', 4],
  ['ES', 3],
  ['IL', 2],
  ['SA', 2],
  ['KR', 2],
  ['NL', 2],
  ['PL', 2],
  ['MX', 2],
  ['NG', 1],
  ['AU', 2],
  ['SE', 1],
  ['TR', 1],
]);
export const PLANS = new Weighted<string>([
  ['free', 55],
  ['starter', 25],
  ['pro', 15],
  ['enterprise', 5],
]);
export const CURRENCIES = new Weighted<string>([
  ['USD', 45],
  ['EUR', 25],
  ['GBP', 10],
  ['JPY', 6],
  ['BRL', 4],
  ['INR', 4],
  ['CAD', 6],
]);

/**
 * 2^53 + 1: the first integer a JS number cannot hold; everything from here must travel as text.
 */
export const BEYOND_2_53 = 9007199254740993n;

/**
 * Mostly modest amounts; some negative (refunds), some with an integer part beyond 2^53, some NULL.
 */
export function lifetimeValue(rng: Prng): string | null {
  const roll = rng.next();
  if (roll < 0.03) return null;
  const fraction =
    String(rng.int(100_000)).padStart(5, '0') + String(rng.int(100_000)).padStart(5, '0');
  if (roll < 0.05)
    return `${BEYOND_2_53 + BigInt(rng.int(1_000_000_000)) * 1_000_003n}.${fraction}`;
  if (roll < 0.06) return `-${rng.int(500)}.${fraction}`;
  return `${rng.int(50_000)}.${fraction}`;
}

/**
 * An amount with `scale` decimals from integer minor units, so no floating-point rounding sneaks
 * in.
 */
export function formatMinor(minor: number, scale: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

const TAGS = ['beta', 'früh', 'vip', 'churn-risk', '🚀', 'b2b', '早期', 'newsletter'];
const LOCALES = ['en-US', 'fr-FR', 'de-DE', 'ja-JP', 'ar-SA', 'he-IL', 'pt-BR', 'zh-CN'];

/** Nested objects and arrays, JSON nulls, unicode; now and then a number too big for a double. */
export function attributes(rng: Prng, id: number): string | null {
  const roll = rng.next();
  if (roll < 0.08) return null;
  if (roll < 0.085) return 'null';
  if (roll < 0.13) return '{}';
  const value: Record<string, unknown> = {
    tier: rng.chance(0.3) ? null : rng.pick(['bronze', 'silver', 'gold']),
    tags: Array.from({ length: rng.int(4) }, () => rng.pick(TAGS)),
    prefs: {
      newsletter: rng.chance(0.4),
      locale: rng.pick(LOCALES),
      theme: rng.chance(0.5) ? null : rng.pick(['dark', 'light']),
    },
  };
  if (rng.chance(0.3)) value.score = rng.int(10_000) / 100;
  if (rng.chance(0.15))
    value.history = [
      { plan: 'free', months: rng.between(1, 24) },
      { plan: 'pro', coupon: null },
    ];
  const text = JSON.stringify(value);
  // JSON.stringify cannot write an integer beyond 2^53 exactly; splice the digits in as raw JSON.
  return rng.chance(0.05)
    ? `${text.slice(0, -1)},"ledger_id":${BEYOND_2_53 + BigInt(2 * id)}}`
    : text;
}

const PRODUCTS = [
  'Café crème 250g',
  'Thé vert 緑茶',
  'Notebook A5',
  'USB-C cable, 2m',
  'Mug "Best Boss"',
  'Gift card 🎁',
  'Tapis de yoga',
].map((name) => JSON.stringify(name));

/**
 * An order's line items and its total in cents (the total is the sum of the lines, as in a real
 * shop).
 */
export function orderItems(rng: Prng): { json: string; totalCents: number } {
  const count = rng.between(1, 3);
  let totalCents = 0;
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const qty = rng.between(1, 3);
    const cents = rng.between(99, 25_000);
    totalCents += qty * cents;
    const discount = rng.chance(0.1) ? `,"discount":${rng.pick(['null', '0.1', '"SUMMER"'])}` : '';
    lines.push(
      `{"sku":"SKU-${String(rng.int(100_000)).padStart(5, '0')}"` +
        `,"name":${rng.pick(PRODUCTS)},"qty":${qty}` +
        `,"unit_price":${formatMinor(cents, 2)}${discount}}`,
    );
  }
  return { json: `[${lines.join(',')}]`, totalCents };
}

export const ORDER_STATUSES = new Weighted<string>([
  ['paid', 60],
  ['shipped', 20],
  ['pending', 10],
  ['refunded', 6],
  ['cancelled', 4],
]);

export const EVENT_TYPES = new Weighted<string>([
  ['page_view', 50],
  ['click', 20],
  ['search', 8],
  ['login', 8],
  ['add_to_cart', 6],
  ['checkout', 3],
  ['logout', 3],
  ['error', 2],
]);
const PATHS = [
  '/',
  '/pricing',
  '/products',
  '/cart',
  '/account/settings',
  '/blog/2026/naïve-café',
  '/search?q=a%2Cb',
].map((path) => JSON.stringify(path));
const QUERIES = [
  'running shoes',
  'café au lait',
  '東京 hotel',
  'shoes 👟',
  'تخفيضات',
  '"exact phrase"',
  'a\\b',
  'tab\there',
].map((query) => JSON.stringify(query));
const ERRORS = [
  '"Timeout after 30s\\nretrying"',
  '"Card declined: \\"insufficient funds\\""',
  '"Ünexpected token < in JSON"',
];

/**
 * Small payloads written as JSON text directly: events are the biggest table, and every µs per row
 * counts.
 */
export function eventPayload(rng: Prng, type: string): string {
  switch (type) {
    case 'page_view':
      return (
        `{"path":${rng.pick(PATHS)},"referrer":${rng.chance(0.6) ? 'null' : '"https://www.google.com/"'}` +
        `,"ms":${rng.int(3000)}}`
      );
    case 'click':
      return (
        `{"element":"${rng.pick(['buy', 'nav', 'cta', 'close'])}"` +
        `,"x":${rng.int(1920)},"y":${rng.int(1080)}}`
      );
    case 'search':
      return (
        `{"query":${rng.pick(QUERIES)},"results":${rng.int(200)}` +
        `,"filters":{"in_stock":${rng.chance(0.5)}` +
        `,"brand":null}}`
      );
    case 'login':
      return (
        `{"method":"${rng.pick(['password', 'sso', 'magic_link'])}"` +
        `,"ip":"203.0.113.${rng.int(256)}"` +
        `,"mfa":${rng.chance(0.3)}}`
      );
    case 'add_to_cart':
      return (
        `{"sku":"SKU-${String(rng.int(100_000)).padStart(5, '0')}"` + `,"qty":${rng.between(1, 3)}}`
      );
    case 'checkout':
      return (
        `{"total":${formatMinor(rng.between(99, 100_000), 2)}` +
        `,"currency":"${CURRENCIES.pick(rng)}"` +
        `,"steps":[1,2,3]}`
      );
    case 'error':
      return (
        `{"code":"E_${rng.pick(['TIMEOUT', 'CARD', 'PARSE'])}"` +
        `,"message":${rng.pick(ERRORS)},"stack":["app.js:10"` +
        `,"vendor.js:2031"]}`
      );
    default:
      return '{}';
  }
}

const ACCOUNT_NAMES = [
  'Main account',
  'Savings',
  'Compte courant',
  '普通預金',
  'Business — EU',
  'Travel ✈️',
  'Joint, with "Sam"',
  'Tax reserve',
];
export const ACCOUNT_STATUSES = new Weighted<string>([
  ['active', 88],
  ['pending', 7],
  ['frozen', 5],
]);

export function accountName(rng: Prng): string | null {
  return rng.chance(0.02) ? null : rng.pick(ACCOUNT_NAMES);
}
