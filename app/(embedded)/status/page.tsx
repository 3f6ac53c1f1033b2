import type { Metadata } from 'next';
import Link from 'next/link';
import { ApiUnavailable, SessionRequired } from '@/components/session/session-required';
import { StatusBoard } from '@/components/status/status-board';
import { getSession, isCustomerSession } from '@/lib/session/session';
import { customerStatus } from '@/lib/status/customer-status';
import { loadProviderStatus } from '@/lib/status/load-status';

export const metadata: Metadata = { title: 'Import status' };

export default async function StatusPage() {
  const session = await getSession();
  if (!isCustomerSession(session) || session.scope !== 'full') return <SessionRequired />;
  const status = await loadProviderStatus(session.providerId);
  if (!status.ok) return <ApiUnavailable error={status.error} />;
  return (
    <div className="mx-auto flex w-full max-w-4xl flex-col gap-8 px-5 py-8 sm:px-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Your imports</h1>
          <p className="mt-2 text-muted-foreground">
            What is imported, how fresh it is, and anything that needs you.
          </p>
        </div>
        <Link href="/connect" className="text-sm text-primary underline">
          Import more data
        </Link>
      </div>
      <StatusBoard endpoint="/api/status" initial={customerStatus(status.data)} />
    </div>
  );
}
