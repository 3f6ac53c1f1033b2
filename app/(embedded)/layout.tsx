import type { ReactNode } from 'react';
import { InletLogo } from '@/components/inlet-logo';
import { QueryProvider } from '@/components/query-provider';
import { CloseEmbedButton } from '@/components/wizard/close-embed-button';

// What the customer sees inside the SaaS (often in an iframe): a slim bar, no site navigation.
export default function EmbeddedLayout({ children }: { children: ReactNode }) {
  return (
    <QueryProvider>
      <header className="border-b bg-card/60">
        <div className="mx-auto flex h-12 w-full max-w-4xl items-center gap-2 px-5 text-sm font-semibold sm:px-8">
          <InletLogo />
          Data import
          <CloseEmbedButton />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="flex-1 outline-none">
        {children}
      </main>
    </QueryProvider>
  );
}
