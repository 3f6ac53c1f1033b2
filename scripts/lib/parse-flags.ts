// Pure: a command line → its flags, checked by a zod schema; `--help`, unknown flags and invalid
// values as values.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { z } from 'zod';

export type FlagsResult<T> =
  { ok: true; help: true } | { ok: true; help: false; flags: T } | { ok: false; error: string };

export function parseFlags<Schema extends z.ZodType>(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: Schema,
): FlagsResult<z.output<Schema>> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (values.help) return { ok: true, help: true };
  const parsed = schema.safeParse(values);
  if (!parsed.success)
    return { ok: false, error: parsed.error.issues.map((issue) => issue.message).join('\n') };
  return { ok: true, help: false, flags: parsed.data };
}
