import type { ReactNode } from 'react';
import { InletLogo } from '@/components/inlet-logo';
import { QueryProvider } from '@/components/query-provider';

export default function SupportLayout({ children }: { children: ReactNode }) {
  return (
    <QueryProvider>
      <header className="border-b bg-card/60">
        <div className="mx-auto flex h-12 w-full max-w-6xl items-center gap-2 px-5 text-sm font-semibold sm:px-8">
          <InletLogo />
          Support console
        </div>
      </header>
      <main id="main" tabIndex={-1} className="flex-1 outline-none">
        {children}
      </main>
    </QueryProvider>
  );
}
