// Go's fmt for template values: Sprint, Sprintln, Sprintf and the default %v text, including Go's
// in-band error notes such as %!d(string=x) and %!(EXTRA int=1).
//
// On purpose unlike Go: %e %f %g also accept ints (JSON data cannot tell 3 from 3.0, so a price of
// 3 must still print as 3.00); %x %X %b on floats and %p are reported as bad verbs; times print as
// RFC 3339 (Go would call time.Time's String method).
import { formatFloat } from './format-float';
import { formatRune, goQuote, goQuoteRune, isPrintableRune } from './go-quote';
import {
  bigIntValue,
  checkDataDepth,
  floatValue,
  formatTime,
  kindOf,
  LimitError,
  ownField,
  sortedKeys,
  typeName,
  utf8Bytes,
} from './go-value';

export type FormatLimits = { maxLength: number };

const MAX_RUNE = 0x10ffff;

type Flags = {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  sharpV: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
};

function clearFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    sharpV: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

function runeCount(s: string): number {
  let count = 0;
  for (const _char of s) count++;
  return count;
}

/** The output string being built, refusing to grow past the render's output limit. */
class Printer {
  out = '';
  f: Flags = clearFlags();

  constructor(private readonly limits: FormatLimits) {}

  write(s: string): void {
    if (this.out.length + s.length > this.limits.maxLength) {
      throw new LimitError(
        `template output exceeds the limit of ${this.limits.maxLength} characters`,
      );
    }
    this.out += s;
  }

  private writePadding(n: number): void {
    if (n <= 0) return;
    if (n > this.limits.maxLength)
      throw new LimitError(
        `template output exceeds the limit of ${this.limits.maxLength} characters`,
      );
    this.write((this.f.zero ? '0' : ' ').repeat(n));
  }

  /** Pads to the width, on the left unless the minus flag says right. */
  pad(s: string): void {
    const width = this.f.widPresent ? this.f.wid - runeCount(s) : 0;
    if (width <= 0) {
      this.write(s);
    } else if (!this.f.minus) {
      this.writePadding(width);
      this.write(s);
    } else {
      this.write(s);
      this.writePadding(width);
    }
  }

  private truncate(s: string): string {
    if (!this.f.precPresent) return s;
    return [...s].slice(0, this.f.prec).join('');
  }

  // --- values ----------------------------------------------------------------------------------

  printArg(arg: unknown, verb: string): void {
    if (kindOf(arg) === 'nil') {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === 'T') {
      this.fmtS(typeName(arg));
      return;
    }
    this.printValue(arg, verb, 0);
  }

  printValue(value: unknown, verb: string, depth: number): void {
    checkDataDepth(depth);
    switch (kindOf(value)) {
      case 'nil':
        // A nil inside a slice or map: Go prints the interface, not the verb's idea of it.
        this.pad(this.f.sharpV ? 'interface {}(nil)' : '<nil>');
        return;
      case 'bool':
        if (verb === 't' || verb === 'v') this.pad(value ? 'true' : 'false');
        else this.badVerb(verb, value);
        return;
      case 'int':
        this.fmtIntegerVerb(bigIntValue(value), verb, value);
        return;
      case 'float':
        this.fmtFloatVerb(floatValue(value), verb, value);
        return;
      case 'string':
        this.fmtStringVerb(value as string, verb, value);
        return;
      case 'time':
        if ('vsqxX'.includes(verb)) this.fmtStringVerb(formatTime(value as Date), verb, value);
        else this.badVerb(verb, value);
        return;
      case 'slice': {
        const items = value as unknown[];
        this.write(this.f.sharpV ? '[]interface {}{' : '[');
        items.forEach((item, i) => {
          if (i > 0) this.write(this.f.sharpV ? ', ' : ' ');
          this.printValue(item, verb, depth + 1);
        });
        this.write(this.f.sharpV ? '}' : ']');
        return;
      }
      case 'map': {
        const map = value as object;
        this.write(this.f.sharpV ? 'map[string]interface {}{' : 'map[');
        sortedKeys(map).forEach((key, i) => {
          if (i > 0) this.write(this.f.sharpV ? ', ' : ' ');
          this.printValue(key, verb, depth + 1);
          this.write(':');
          this.printValue(ownField(map, key), verb, depth + 1);
        });
        this.write(this.f.sharpV ? '}' : ']');
        return;
      }
      case 'func':
      case 'unsupported':
        this.write(`<${typeName(value)}>`);
        return;
    }
  }

  private badVerb(verb: string, value: unknown): void {
    this.write(`%!${verb}(`);
    if (kindOf(value) === 'nil') {
      this.write('<nil>');
    } else {
      this.write(`${typeName(value)}=`);
      this.printArg(value, 'v');
    }
    this.write(')');
  }

  private fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  private fmtStringVerb(s: string, verb: string, original: unknown): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(s);
        else this.fmtS(s);
        return;
      case 's':
        this.fmtS(s);
        return;
      case 'x':
      case 'X':
        this.fmtSx(s, verb === 'X');
        return;
      case 'q':
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb, original);
    }
  }

  private fmtQ(s: string): void {
    const truncated = this.truncate(s);
    if (this.f.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(truncated)) {
      this.pad(`\`${truncated}\``);
    } else if (this.f.plus) {
      this.pad(goQuote(truncated).replace(/[^\x00-\x7f]/gu, (char) => toAsciiEscape(char)));
    } else {
      this.pad(goQuote(truncated));
    }
  }

  private fmtSx(s: string, upper: boolean): void {
    let bytes = utf8Bytes(s);
    if (this.f.precPresent && this.f.prec < bytes.length) bytes = bytes.slice(0, this.f.prec);
    const parts = Array.from(bytes, (byte) => {
      const hex = byte.toString(16).padStart(2, '0');
      return upper ? hex.toUpperCase() : hex;
    });
    const prefix = upper ? '0X' : '0x';
    let out: string;
    if (this.f.space) out = parts.map((hex) => (this.f.sharp ? prefix + hex : hex)).join(' ');
    else out = (this.f.sharp && parts.length > 0 ? prefix : '') + parts.join('');
    this.pad(out);
  }

  private fmtIntegerVerb(n: bigint, verb: string, original: unknown): void {
    switch (verb) {
      case 'v':
      case 'd':
        this.fmtInteger(n, 10, verb, false);
        return;
      case 'b':
        this.fmtInteger(n, 2, verb, false);
        return;
      case 'o':
      case 'O':
        this.fmtInteger(n, 8, verb, false);
        return;
      case 'x':
        this.fmtInteger(n, 16, verb, false);
        return;
      case 'X':
        this.fmtInteger(n, 16, verb, true);
        return;
      case 'c':
        this.pad(String.fromCodePoint(validRune(n)));
        return;
      case 'q':
        this.pad(
          this.f.sharp && isPrintableRune(String.fromCodePoint(validRune(n)))
            ? `'${String.fromCodePoint(validRune(n))}'`
            : goQuoteRune(validRune(n)),
        );
        return;
      case 'U':
        this.fmtUnicode(n);
        return;
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
        this.fmtFloatVerb(Number(n), verb, original);
        return;
      default:
        this.badVerb(verb, original);
    }
  }

  private fmtInteger(n: bigint, base: number, verb: string, upper: boolean): void {
    const negative = n < 0n;
    const u = negative ? -n : n;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      // Precision 0 and value 0 print nothing but padding.
      if (prec === 0 && u === 0n) {
        const zero = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid);
        this.f.zero = zero;
        return;
      }
    } else if (this.f.zero && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--; // leave room for the sign
    }
    if (prec > this.limits.maxLength)
      throw new LimitError(
        `template output exceeds the limit of ${this.limits.maxLength} characters`,
      );
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    digits = digits.padStart(prec, '0');
    if (this.f.sharp) {
      if (base === 2) digits = `0b${digits}`;
      else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
      else if (base === 16) digits = `${upper ? '0X' : '0x'}${digits}`;
    }
    if (verb === 'O') digits = `0o${digits}`;
    if (negative) digits = `-${digits}`;
    else if (this.f.plus) digits = `+${digits}`;
    else if (this.f.space) digits = ` ${digits}`;
    // Zero padding was done above as precision, or is ignored because a precision was given.
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(digits);
    this.f.zero = zero;
  }

  private fmtUnicode(n: bigint): void {
    const prec = this.f.precPresent && this.f.prec > 4 ? this.f.prec : 4;
    let out = `U+${(n < 0n ? -n : n).toString(16).toUpperCase().padStart(prec, '0')}`;
    if (
      this.f.sharp &&
      n >= 0n &&
      n <= BigInt(MAX_RUNE) &&
      isPrintableRune(String.fromCodePoint(Number(n)))
    ) {
      out = formatRune(Number(n));
    }
    const zero = this.f.zero;
    this.f.zero = false;
    this.pad(out);
    this.f.zero = zero;
  }

  private fmtFloatVerb(v: number, verb: string, original: unknown): void {
    switch (verb) {
      case 'v':
        this.fmtFloat(v, 'g', -1);
        return;
      case 'g':
      case 'G':
        this.fmtFloat(v, verb, -1);
        return;
      case 'e':
      case 'E':
      case 'f':
        this.fmtFloat(v, verb, 6);
        return;
      case 'F':
        this.fmtFloat(v, 'f', 6);
        return;
      default:
        this.badVerb(verb, original);
    }
  }

  private fmtFloat(v: number, verb: 'e' | 'E' | 'f' | 'g' | 'G', defaultPrecision: number): void {
    const prec = this.f.precPresent ? this.f.prec : defaultPrecision;
    let num = formatFloat(v, verb, prec);
    if (!num.startsWith('-') && !num.startsWith('+')) num = `+${num}`;
    if (this.f.space && num.startsWith('+') && !this.f.plus) num = ` ${num.slice(1)}`;
    if (num[1] === 'I' || num[1] === 'N') {
      // Infinities and NaN are not padded with zeros, and NaN has no sign unless asked.
      const zero = this.f.zero;
      this.f.zero = false;
      if (num[1] === 'N' && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = zero;
      return;
    }
    if (this.f.plus || !num.startsWith('+')) {
      // Zero padding goes between the sign and the digits.
      if (this.f.zero && this.f.widPresent && this.f.wid > num.length) {
        this.write(num[0] ?? '');
        this.writePadding(this.f.wid - num.length);
        this.write(num.slice(1));
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }
}

function validRune(n: bigint): number {
  if (n < 0n || n > BigInt(MAX_RUNE)) return 0xfffd;
  const r = Number(n);
  return r >= 0xd800 && r < 0xe000 ? 0xfffd : r;
}

function toAsciiEscape(char: string): string {
  const r = char.codePointAt(0) ?? 0xfffd;
  return r < 0x10000
    ? `\\u${r.toString(16).padStart(4, '0')}`
    : `\\U${r.toString(16).padStart(8, '0')}`;
}

/** fmt.Sprint: spaces go between operands when neither is a string. */
export function sprint(args: readonly unknown[], limits: FormatLimits): string {
  const p = new Printer(limits);
  let previousIsString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === 'string';
    if (i > 0 && !isString && !previousIsString) p.write(' ');
    p.printArg(arg, 'v');
    previousIsString = isString;
  });
  return p.out;
}

/** fmt.Sprintln: spaces between all operands and a final newline. */
export function sprintln(args: readonly unknown[], limits: FormatLimits): string {
  const p = new Printer(limits);
  args.forEach((arg, i) => {
    if (i > 0) p.write(' ');
    p.printArg(arg, 'v');
  });
  p.write('\n');
  return p.out;
}

/** Parses a decimal number the way fmt does, giving up on absurd widths. */
function parseNumber(format: string, start: number): { num: number; isNum: boolean; next: number } {
  let num = 0;
  let isNum = false;
  let i = start;
  for (; i < format.length && format[i]! >= '0' && format[i]! <= '9'; i++) {
    if (num > 1e6) return { num: 0, isNum: false, next: format.length };
    num = num * 10 + (format.charCodeAt(i) - 48);
    isNum = true;
  }
  return { num, isNum, next: i };
}

/** fmt.Sprintf with Go's verbs, flags, widths, precisions, `*` and explicit argument indexes. */
export function sprintf(format: string, args: readonly unknown[], limits: FormatLimits): string {
  const p = new Printer(limits);
  const end = format.length;
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  let goodArgNum = true;

  const argNumber = (i: number): { i: number; found: boolean } => {
    if (i >= end || format[i] !== '[') return { i, found: false };
    reordered = true;
    const close = format.indexOf(']', i);
    if (close < 0) {
      goodArgNum = false;
      return { i: i + 1, found: false };
    }
    const inside = parseNumber(format, i + 1);
    if (!inside.isNum || inside.next !== close) {
      goodArgNum = false;
      return { i: close + 1, found: false };
    }
    const index = inside.num - 1;
    if (index >= 0 && index < args.length) {
      argNum = index;
      return { i: close + 1, found: true };
    }
    goodArgNum = false;
    return { i: close + 1, found: true };
  };

  const intFromArg = (): { num: number; isInt: boolean } => {
    const arg = args[argNum];
    let num = 0;
    let isInt = false;
    if (argNum < args.length) {
      if (kindOf(arg) === 'int') {
        const n = bigIntValue(arg);
        if (n <= 1_000_000n && n >= -1_000_000n) {
          num = Number(n);
          isInt = true;
        }
      }
      argNum++;
    }
    return { num, isInt };
  };

  for (let i = 0; i < end;) {
    goodArgNum = true;
    const percent = format.indexOf('%', i);
    const lastText = percent < 0 ? end : percent;
    if (lastText > i) p.write(format.slice(i, lastText));
    if (percent < 0) break;
    i = percent + 1;

    p.f = clearFlags();
    flags: for (; i < end; i++) {
      switch (format[i]) {
        case '#':
          p.f.sharp = true;
          break;
        case '0':
          p.f.zero = !p.f.minus; // zero padding only to the left
          break;
        case '+':
          p.f.plus = true;
          break;
        case '-':
          p.f.minus = true;
          p.f.zero = false;
          break;
        case ' ':
          p.f.space = true;
          break;
        default:
          break flags;
      }
    }

    ({ i, found: afterIndex } = argNumber(i));

    if (i < end && format[i] === '*') {
      i++;
      const width = intFromArg();
      p.f.wid = width.num;
      p.f.widPresent = width.isInt;
      if (!width.isInt) p.write('%!(BADWIDTH)');
      if (p.f.wid < 0) {
        p.f.wid = -p.f.wid;
        p.f.minus = true;
        p.f.zero = false;
      }
      afterIndex = false;
    } else {
      const width = parseNumber(format, i);
      p.f.wid = width.num;
      p.f.widPresent = width.isNum;
      i = width.next;
      if (afterIndex && p.f.widPresent) goodArgNum = false;
    }

    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      ({ i, found: afterIndex } = argNumber(i));
      if (i < end && format[i] === '*') {
        i++;
        const precision = intFromArg();
        p.f.prec = precision.num;
        p.f.precPresent = precision.isInt;
        if (p.f.prec < 0) {
          p.f.prec = 0;
          p.f.precPresent = false;
        }
        if (!precision.isInt) p.write('%!(BADPREC)');
        afterIndex = false;
      } else {
        const precision = parseNumber(format, i);
        p.f.prec = precision.num;
        p.f.precPresent = true;
        i = precision.next;
      }
    }

    if (!afterIndex) ({ i, found: afterIndex } = argNumber(i));

    if (i >= end) {
      p.write('%!(NOVERB)');
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0xfffd);
    i += verb.length;

    if (verb === '%') {
      p.write('%'); // a literal percent takes no operand and ignores width and precision
    } else if (!goodArgNum) {
      p.write(`%!${verb}(BADINDEX)`);
    } else if (argNum >= args.length) {
      p.write(`%!${verb}(MISSING)`);
    } else {
      if (verb === 'v') {
        // %#v asks for Go syntax; %+v only adds field names to structs, which JSON data has none
        // of.
        p.f.sharpV = p.f.sharp;
        p.f.sharp = false;
        p.f.plus = false;
      }
      p.printArg(args[argNum], verb);
      argNum++;
    }
  }

  if (!reordered && argNum < args.length) {
    p.f = clearFlags();
    p.write('%!(EXTRA ');
    args.slice(argNum).forEach((arg, i) => {
      if (i > 0) p.write(', ');
      if (kindOf(arg) === 'nil') {
        p.write('<nil>');
      } else {
        p.write(`${typeName(arg)}=`);
        p.printArg(arg, 'v');
      }
    });
    p.write(')');
  }
  return p.out;
}

/** The text of a value printed by an action: fmt's %v, except that nil prints as <no value>. */
export function formatValue(value: unknown, limits: FormatLimits): string {
  if (kindOf(value) === 'nil') return '<no value>';
  if (typeof value === 'string') return value;
  return sprint([value], limits);
}
