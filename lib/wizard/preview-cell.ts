// Pure: what a mapping preview cell shows of a transformed value, and where a long one is cut.

/** Past this many characters a value is shown cut, with a control to show all of it. */
export const PREVIEW_CUT_AT = 60;

export type PreviewText = {
  /** The whole value as text: JSON for objects and lists, "—" for nothing. */
  full: string;
  /** The text shown until the customer asks for all of it; equal to `full` when short enough. */
  short: string;
  isCut: boolean;
};

/** The value at a dotted target path of a transformed record (`address.city`). */
export function valueAt(record: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
      record,
    );
}

export function previewText(value: unknown, cutAt = PREVIEW_CUT_AT): PreviewText {
  const full =
    value === null || value === undefined
      ? '—'
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  // Counted in code points, so an emoji is never split in half.
  const characters = Array.from(full);
  if (characters.length <= cutAt) return { full, short: full, isCut: false };
  return { full, short: `${characters.slice(0, cutAt).join('')}…`, isCut: true };
}
