import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Not allowed' };

// Rendered with a 403 by forbidden(): a signed-in session that may not see this page.
export default function Forbidden() {
  return (
    <div className="mx-auto w-full max-w-2xl px-5 py-16 sm:px-8">
      <p className="text-sm font-medium text-danger">403</p>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight">This page is for support staff</h1>
      <p className="mt-4 leading-7 text-muted-foreground">
        You are signed in as a customer. Your imports are on your status page.
      </p>
    </div>
  );
}
