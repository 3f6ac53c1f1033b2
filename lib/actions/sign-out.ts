'use server';
// Signing out, for staff and customers alike: the session ends here and now, not when its cookie
// would expire.
import { redirect } from 'next/navigation';
import { endSession, getSession } from '@/lib/session/session';

export async function signOut(): Promise<void> {
  const session = await getSession();
  await endSession();
  redirect(
    session?.role === 'support' ? '/support/login?signed_out=1' : '/session?problem=signed_out',
  );
}
