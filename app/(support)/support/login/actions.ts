'use server';
// Password sign-in to the support console, for self-hosting without a host that mints support sessions.
import { createHash, timingSafeEqual } from 'node:crypto';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getSessionEnv } from '@/lib/session/session-env';
import { startSession } from '@/lib/session/mint-invite';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** `name` comes back so the form, which React resets after an action, keeps what was typed. */
export type SignInState = { error: string | null; name: string };

const SignInSchema = z.object({ name: z.string().trim().min(1, 'Enter your name, for the audit log.').max(100), password: z.string().min(1, 'Enter the password.').max(1000) });

export async function signInToSupport(_previous: SignInState, form: FormData): Promise<SignInState> {
  const configured = process.env.INLET_SUPPORT_PASSWORD ?? '';
  const env = getSessionEnv();
  const name = String(form.get('name') ?? '').slice(0, 100);
  if (configured.length < 12 || !env.ok) return { error: 'Password sign-in is not set up: set INLET_SUPPORT_PASSWORD (12+ characters), or open the console from a link your product mints.', name };
  const parsed = SignInSchema.safeParse({ name: form.get('name'), password: form.get('password') });
  if (!parsed.success) return { error: parsed.error.issues[0]!.message, name };
  if (!timingSafeEqual(digest(parsed.data.password), digest(configured))) {
    // A pause per wrong guess slows anyone trying passwords.
    await new Promise((resolve) => setTimeout(resolve, 750));
    return { error: 'That password is not right.', name };
  }
  const started = await startSession({ role: 'support', providerId: null, scope: 'full', actor: `support:${parsed.data.name}` });
  if (!started.ok) return { error: started.message, name };
  redirect('/support');
}
