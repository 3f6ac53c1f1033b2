// The one way support pages, loaders, routes and actions admit a caller: a support session; a
// customer session is a 403.
import 'server-only';
import { forbidden, redirect } from 'next/navigation';
import type { z } from 'zod';
import { getSession, isSupportSession, type SupportSession } from '@/lib/session/session';
import { actionFailure, type ActionResult, parseActionInput } from './action-result';
import { routeError } from './customer-route';
import { limitSessionCalls } from './session-call-limit';

/**
 * For support pages and every loader they call: the session, a redirect to the sign-in page, or a
 * 403 for anyone else's session. Loaders call it themselves, since Next renders a page in parallel
 * with its layout: a check in the layout alone leaves the page's data in the body of the redirect.
 */
export async function requireSupportPage(): Promise<SupportSession> {
  const session = await getSession();
  if (!session) redirect('/support/login');
  if (!isSupportSession(session)) forbidden();
  return session;
}

/**
 * Wraps a support data loader so that it authorizes before it reads anything, whichever page calls
 * it.
 */
export function supportLoader<Args extends unknown[], T>(
  load: (session: SupportSession, ...args: Args) => Promise<T>,
) {
  return async (...args: Args): Promise<T> => load(await requireSupportPage(), ...args);
}

export function supportRoute<Params>(
  handler: (
    request: Request,
    session: SupportSession,
    context: { params: Promise<Params> },
  ) => Promise<Response>,
) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> => {
    const session = await getSession();
    if (!session)
      return routeError({
        code: 'unauthorized',
        message: 'Sign in to the support console.',
        status: 401,
      });
    if (!isSupportSession(session))
      return routeError({
        code: 'forbidden',
        message: 'The support console is for support staff.',
        status: 403,
      });
    const limited = await limitSessionCalls(session);
    if (limited) return routeError(limited);
    return handler(request, session, context);
  };
}

/** Support actions change a customer's pipeline, so each one carries a reason for the audit log. */
export function supportAction<Schema extends z.ZodType, T>(
  schema: Schema,
  run: (input: z.output<Schema>, session: SupportSession) => Promise<ActionResult<T>>,
) {
  return async (input: z.input<Schema>): Promise<ActionResult<T>> => {
    const session = await getSession();
    if (!isSupportSession(session))
      return actionFailure('forbidden', 'The support console is for support staff.');
    const limited = await limitSessionCalls(session);
    if (limited) return actionFailure('rate_limited', limited.message);
    const parsed = parseActionInput(schema, input);
    return parsed.ok ? run(parsed.data, session) : parsed;
  };
}
