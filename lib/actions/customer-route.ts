// The one way to write a customer GET route (the reads react-query polls): a session, then the
// handler.
import 'server-only';
import { getSession, isCustomerSession, type CustomerSession } from '@/lib/session/session';
import type { PrequelError } from '@/lib/prequel/client';
import { callFor, currentCaller } from '@/lib/prequel/caller';
import { customerSafe } from './customer-failure';
import { SESSION_ENDED_MESSAGE } from './customer-action';
import { limitSessionCalls } from './session-call-limit';

const noStore = { 'Cache-Control': 'no-store' };

/**
 * An error for the browser: code, message and the API's per-path details (never anything else it
 * said).
 */
export function routeError(
  failed: Pick<PrequelError, 'message' | 'status' | 'fields'> & { code: string },
): Response {
  // A customer's call (made inside customerRoute) never sees the installation's own failures in
  // detail.
  const error = currentCaller() ? customerSafe(failed, 'route') : failed;
  const status = error.status && error.status >= 400 && error.status < 600 ? error.status : 502;
  const fields = error.fields?.length ? { fields: error.fields } : {};
  return Response.json(
    { ok: false, error: { code: error.code, message: error.message, ...fields } },
    { status, headers: noStore },
  );
}

export function routeData(data: unknown): Response {
  return Response.json({ ok: true, data }, { headers: noStore });
}

export function customerRoute(
  handler: (request: Request, session: CustomerSession) => Promise<Response>,
) {
  return async (request: Request): Promise<Response> => {
    const session = await getSession();
    if (!isCustomerSession(session))
      return routeError({ code: 'unauthorized', message: SESSION_ENDED_MESSAGE, status: 401 });
    if (session.scope === 'credentials')
      return routeError({
        code: 'forbidden',
        message: 'This link only lets you update the database connection.',
        status: 403,
      });
    const limited = await limitSessionCalls(session);
    if (limited) return routeError(limited);
    return callFor({ providerId: session.providerId }, () => handler(request, session));
  };
}
