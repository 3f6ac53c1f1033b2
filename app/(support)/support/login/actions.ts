'use server';
// Password sign-in to the support console with a named staff account (INLET_SUPPORT_USERS), for
// self-hosting without a host that mints support sessions. Attempts are limited per address and
// overall, and every one is logged.
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getAppEnv, getSessionEnv } from '@/lib/env';
import { startSession } from '@/lib/session/mint-invite';
import { createSignInLimits } from '@/lib/support/sign-in-limits';
import { parseStaffAccounts, verifyStaffPassword } from '@/lib/support/staff-accounts';

/** `email` comes back so the form, which React resets after an action, keeps what was typed. */
export type SignInState = { error: string | null; email: string };

const SignInSchema = z.object({
  email: z.string().trim().min(1, 'Enter the email of your staff account.').max(200),
  password: z.string().min(1, 'Enter the password.').max(1000),
});

const limits = createSignInLimits();

/**
 * The client's address as the nearest proxy saw it; the overall limit holds even if a client forges
 * it.
 */
async function clientAddress(): Promise<string> {
  const list = await headers();
  return list.get('x-forwarded-for')?.split(',')[0]?.trim() || list.get('x-real-ip') || 'unknown';
}

function logSignIn(
  outcome: 'signed_in' | 'refused' | 'throttled' | 'invalid',
  email: string,
  address: string,
) {
  console.info(
    JSON.stringify({
      event: 'support_sign_in',
      outcome,
      email: email.slice(0, 200),
      address,
      at: new Date().toISOString(),
    }),
  );
}

export async function signInToSupport(
  _previous: SignInState,
  form: FormData,
): Promise<SignInState> {
  const email = String(form.get('email') ?? '').slice(0, 200);
  const accounts = parseStaffAccounts(getAppEnv().INLET_SUPPORT_USERS);
  const env = getSessionEnv();
  if (!accounts.ok)
    return { error: `Password sign-in is misconfigured: ${accounts.message}`, email };
  if (!accounts.accounts.length || !env.ok) {
    return {
      error:
        'Password sign-in is not set up: add staff accounts to INLET_SUPPORT_USERS, or open the ' +
        'console from a link your product mints.',
      email,
    };
  }
  const address = await clientAddress();
  const parsed = SignInSchema.safeParse({
    email: form.get('email'),
    password: form.get('password'),
  });
  if (!parsed.success) {
    logSignIn('invalid', email, address);
    return { error: parsed.error.issues[0]!.message, email };
  }
  const allowed = await limits.check(address);
  if (!allowed.ok) {
    logSignIn('throttled', parsed.data.email, address);
    return {
      error:
        `Too many sign-in attempts${allowed.scope === 'overall' ? '' : ' from here'}: try ` +
        `again in ${allowed.retryAfterSeconds} s.`,
      email,
    };
  }
  const account = await verifyStaffPassword(
    accounts.accounts,
    parsed.data.email,
    parsed.data.password,
  );
  if (!account) {
    await limits.recordMiss(address);
    logSignIn('refused', parsed.data.email, address);
    return { error: 'That email and password do not match a staff account.', email };
  }
  await limits.recordSuccess(address);
  logSignIn('signed_in', account.email, address);
  const started = await startSession({
    role: 'support',
    providerId: null,
    scope: 'full',
    actor: `support:${account.email}`,
  });
  if (!started.ok) return { error: started.message, email };
  redirect('/support');
}
