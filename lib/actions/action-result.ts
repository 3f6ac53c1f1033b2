// The one shape every server action answers with: data, or an error a person can act on, placed on
// its fields.
import type { z } from 'zod';
import type { PrequelError } from '@/lib/prequel/client';

export type ActionError = { code: string; message: string };
export type ActionResult<T> =
  { ok: true; data: T } | { ok: false; error: ActionError; fieldErrors?: Record<string, string> };

export const actionFailure = (
  code: string,
  message: string,
  fieldErrors?: Record<string, string>,
): { ok: false; error: ActionError; fieldErrors?: Record<string, string> } =>
  fieldErrors && Object.keys(fieldErrors).length
    ? { ok: false, error: { code, message }, fieldErrors }
    : { ok: false, error: { code, message } };

/**
 * An API failure as an action failure; `fieldOf` maps an API path (`source.postgres.host`) to a
 * form field, so the message lands where the customer can fix it.
 */
export function fromPrequelError(
  error: PrequelError,
  fieldOf: (apiPath: string) => string | null = () => null,
) {
  const fieldErrors: Record<string, string> = {};
  for (const field of error.fields ?? []) {
    const name = fieldOf(field.path);
    if (name && !fieldErrors[name]) fieldErrors[name] = field.message;
  }
  return actionFailure(error.code, error.message, fieldErrors);
}

/** An action's input checked by its zod schema; a refusal names each field that needs attention. */
export function parseActionInput<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): { ok: true; data: z.output<Schema> } | ReturnType<typeof actionFailure> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path.join('.')] ??= issue.message;
  return actionFailure('invalid_input', 'Some fields need attention.', fieldErrors);
}
