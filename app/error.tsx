'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';

// Unexpected failures land here; expected ones are values rendered by the page itself.
export default function ErrorPage({ error, retry }: { error: unknown; retry: () => void }) {
  const digest =
    error instanceof Error && 'digest' in error && typeof error.digest === 'string'
      ? error.digest
      : null;

  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main
      id="main"
      tabIndex={-1}
      className="mx-auto w-full max-w-5xl flex-1 px-5 py-20 outline-none sm:px-8 sm:py-28"
    >
      <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">Something went wrong</h1>
      <p className="mt-4 max-w-xl leading-7 text-muted-foreground">
        This page could not be shown because of an unexpected error. Try again; if it keeps
        happening, give the reference below to whoever runs Inlet so they can find it in the server
        logs.
      </p>
      {digest ? (
        <p className="mt-4 text-sm text-muted-foreground">
          Reference:{' '}
          <code className="rounded bg-muted px-1 py-0.5 font-mono text-foreground">{digest}</code>
        </p>
      ) : null}
      <Button className="mt-8" onClick={() => retry()}>
        Try again
      </Button>
    </main>
  );
}
