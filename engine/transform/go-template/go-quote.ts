// Go's quoting of strings and runes (strconv.Quote, strconv.QuoteRune, fmt's %#U), shared by error
// messages and printf.

// unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function isPrintableRune(char: string): boolean {
  return PRINTABLE.test(char);
}

function escapeRune(char: string, quote: '"' | "'"): string {
  const r = char.codePointAt(0) ?? 0xfffd;
  if (char === quote || char === '\\') return `\\${char}`;
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (isPrintableRune(char)) return char;
  // Lone surrogates cannot be UTF-8: Go would see U+FFFD there.
  if (r >= 0xd800 && r < 0xe000) return '\\ufffd';
  if (r < 0x80) return `\\x${r.toString(16).padStart(2, '0')}`;
  if (r < 0x10000) return `\\u${r.toString(16).padStart(4, '0')}`;
  return `\\U${r.toString(16).padStart(8, '0')}`;
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const char of s) out += escapeRune(char, '"');
  return `${out}"`;
}

/** strconv.QuoteRune: a single-quoted Go rune literal. */
export function goQuoteRune(r: number): string {
  const valid = Number.isInteger(r) && r >= 0 && r <= 0x10ffff && !(r >= 0xd800 && r < 0xe000);
  return `'${escapeRune(String.fromCodePoint(valid ? r : 0xfffd), "'")}'`;
}

/** fmt's %#U: `U+0021 '!'`, without the rune when it is not printable. */
export function formatRune(r: number): string {
  const hex = `U+${r.toString(16).toUpperCase().padStart(4, '0')}`;
  const char = String.fromCodePoint(r);
  return isPrintableRune(char) ? `${hex} '${char}'` : hex;
}
