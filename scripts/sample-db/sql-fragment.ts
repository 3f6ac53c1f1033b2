// SQL written once for both dialects: values become bound parameters ($n or ?), identifiers and
// dialect-specific expressions are spliced in as raw fragments that we build ourselves.

export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  const outStrings: string[] = [strings[0]!];
  const outValues: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      // Splice the fragment in: its first string joins ours, its values keep their order.
      outStrings[outStrings.length - 1] += value.strings[0]!;
      value.values.forEach((inner, j) => {
        outValues.push(inner);
        outStrings.push(value.strings[j + 1]!);
      });
      outStrings[outStrings.length - 1] += strings[i + 1]!;
    } else {
      outValues.push(value);
      outStrings.push(strings[i + 1]!);
    }
  });
  return new Sql(outStrings, outValues);
}

/** Trusted text only: identifiers we quoted, expressions we wrote. */
export function raw(text: string): Sql {
  return new Sql([text], []);
}

export function join(fragments: readonly Sql[], separator: string): Sql {
  if (fragments.length === 0) return raw('');
  return fragments
    .slice(1)
    .reduce((joined, fragment) => sql`${joined}${raw(separator)}${fragment}`, fragments[0]!);
}

/**
 * An integer id as a literal: ids are compared with BIGINT columns, never as strings or doubles.
 */
export function integerLiteral(id: string): Sql {
  if (!/^-?\d{1,19}$/.test(id)) throw new Error(`Not an integer id: ${id}`);
  return raw(id);
}

export function render(
  fragment: Sql,
  placeholder: (position: number) => string,
): { text: string; values: unknown[] } {
  let text = fragment.strings[0]!;
  fragment.values.forEach((_, i) => {
    text += placeholder(i + 1) + fragment.strings[i + 1]!;
  });
  return { text, values: [...fragment.values] };
}
