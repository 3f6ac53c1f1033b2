// Pure: what a column's sample values look like (e-mail addresses, URLs, ISO timestamps…), to back
// up a name match.

export type SampleKind =
  'email' | 'url' | 'uuid' | 'date-time' | 'date' | 'phone' | 'country-code' | 'currency-code';

const PATTERNS: readonly (readonly [SampleKind, RegExp])[] = [
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/],
  ['url', /^https?:\/\/\S+$/i],
  ['date-time', /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  // A leading + or separators between digit groups: a bare run of digits is more often an id than a
  // phone.
  ['phone', /^(?=(?:\D*\d){7,15}\D*$)(?:\+\d[\d\s().-]*|\(?\d+\)?[\s.-]\d[\d\s().-]*)$/],
  ['country-code', /^[A-Z]{2}$/],
  ['currency-code', /^[A-Z]{3}$/],
];

const LABELS: Record<SampleKind, string> = {
  email: 'email addresses',
  url: 'web addresses',
  uuid: 'UUIDs',
  'date-time': 'timestamps',
  date: 'dates',
  phone: 'phone numbers',
  'country-code': 'country codes',
  'currency-code': 'currency codes',
};

export function sampleKindLabel(kind: SampleKind): string {
  return LABELS[kind];
}

/** Samples that hold a value: SQL NULL and missing keys say nothing about the column's content. */
export function presentSamples(samples: readonly unknown[]): unknown[] {
  return samples.filter((sample) => sample !== null && sample !== undefined);
}

// Most, not all: a stray "n/a" in a column of e-mail addresses is still a column of e-mail
// addresses.
const SHARE_NEEDED = 0.8;

/**
 * The kind most present samples are (text only), or null when the samples are mixed, not text, or
 * absent.
 */
export function sniffSamples(samples: readonly unknown[]): SampleKind | null {
  const texts = presentSamples(samples);
  if (texts.length === 0 || !texts.every((sample) => typeof sample === 'string')) return null;
  const trimmed = (texts as string[]).map((text) => text.trim()).filter(Boolean);
  if (trimmed.length === 0) return null;
  for (const [kind, pattern] of PATTERNS) {
    const matching = trimmed.filter((text) => pattern.test(text)).length;
    if (matching / trimmed.length >= SHARE_NEEDED) return kind;
  }
  return null;
}

/**
 * The kind a target field's values should be, from its format or what its name means. `strict`
 * kinds can rule a column out.
 */
export function expectedKind(
  format: string | undefined,
  concept: string | undefined,
): { kind: SampleKind; strict: boolean } | null {
  switch (format) {
    case 'email':
    case 'idn-email':
      return { kind: 'email', strict: true };
    case 'uri':
    case 'iri':
    case 'url':
      return { kind: 'url', strict: true };
    case 'uuid':
      return { kind: 'uuid', strict: true };
    case 'date-time':
      return { kind: 'date-time', strict: false };
    case 'date':
      return { kind: 'date', strict: false };
  }
  switch (concept) {
    case 'email':
      return { kind: 'email', strict: true };
    case 'website':
    case 'avatar':
      return { kind: 'url', strict: false };
    case 'phone':
      return { kind: 'phone', strict: false };
    case 'country':
      return { kind: 'country-code', strict: false };
    case 'currency':
      return { kind: 'currency-code', strict: false };
    default:
      return null;
  }
}
