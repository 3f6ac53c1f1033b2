// The browser's reads of the app's own JSON routes (`{ok, data}` or `{ok: false, error}`), for
// react-query.
export type FieldProblem = { path: string; message: string };
export type RouteResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string; fields?: FieldProblem[] } };

export class RouteError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** Reads one of the app's JSON routes; a failure becomes a RouteError with the message to show. */
export async function readRoute<T>(url: string, payload?: unknown): Promise<T> {
  const response = await fetch(url, {
    cache: 'no-store',
    credentials: 'same-origin',
    ...(payload === undefined
      ? {}
      : {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(payload),
        }),
  });
  const body = (await response.json().catch(() => null)) as RouteResult<T> | null;
  if (!body)
    throw new RouteError(`The server answered ${response.status}. Try again.`, 'invalid_response');
  if (!body.ok) throw new RouteError(body.error.message, body.error.code, body.error.fields);
  return body.data;
}
