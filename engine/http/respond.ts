// Success envelopes of the contract: {status, data:{<key>: ...}, message} and lists with
// has_next/next_url.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function respond(
  c: Context,
  key: string,
  value: unknown,
  message: string,
  status: ContentfulStatusCode = 200,
) {
  return c.json({ status: 'success', data: { [key]: value }, message }, status);
}

export function respondList(
  c: Context,
  key: string,
  items: unknown[],
  nextUrl: string | null,
  message: string,
) {
  return c.json({
    status: 'success',
    data: { [key]: items },
    message,
    has_next: nextUrl !== null,
    next_url: nextUrl,
  });
}
