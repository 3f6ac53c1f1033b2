import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/session/sign-out-button';
import { requireSupportPage } from '@/lib/actions/support-guard';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireSupportPage();
  return (
    <div className="mx-auto flex w-full max-w-6xl flex-col gap-6 px-5 py-6 sm:px-8">
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        <nav aria-label="Support console">
          <ul className="flex gap-4">
            <li>
              <Link href="/support" className="font-medium hover:underline">
                Tenants
              </Link>
            </li>
            <li>
              <Link href="/support/settings" className="font-medium hover:underline">
                Settings
              </Link>
            </li>
          </ul>
        </nav>
        <div className="flex items-center gap-3">
          <p className="text-muted-foreground">Signed in as {session.actor ?? 'support'}</p>
          <SignOutButton />
        </div>
      </div>
      {children}
    </div>
  );
}
