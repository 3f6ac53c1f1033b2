// The one way to write a customer server action: parse the input, require a customer session, then
// run.
import 'server-only';
import type { z } from 'zod';
import { getSession, isCustomerSession, type CustomerSession } from '@/lib/session/session';
import { callFor } from '@/lib/prequel/caller';
import { actionFailure, type ActionResult, parseActionInput } from './action-result';
import { customerSafe } from './customer-failure';
import { limitSessionCalls } from './session-call-limit';

export const SESSION_ENDED_MESSAGE =
  'Your session has ended. Open the link you were given again to continue.';

export function customerAction<Schema extends z.ZodType, T>(
  schema: Schema,
  run: (input: z.output<Schema>, session: CustomerSession) => Promise<ActionResult<T>>,
  options: { scope?: 'full' | 'credentials' } = {},
): (input: z.input<Schema>) => Promise<ActionResult<T>> {
  return async (input) => {
    const session = await getSession();
    if (!isCustomerSession(session)) return actionFailure('unauthorized', SESSION_ENDED_MESSAGE);
    // A credentials-only link (for a DBA) reaches the connect step and nothing else.
    if (session.scope === 'credentials' && options.scope !== 'credentials') {
      return actionFailure('forbidden', 'This link only lets you update the database connection.');
    }
    const limited = await limitSessionCalls(session);
    if (limited) return actionFailure(limited.code, limited.message);
    const parsed = parseActionInput(schema, input);
    if (!parsed.ok) return parsed;
    const result = await callFor({ providerId: session.providerId }, () =>
      run(parsed.data, session),
    );
    return result.ok ? result : { ...result, error: customerSafe(result.error, 'action') };
  };
}
