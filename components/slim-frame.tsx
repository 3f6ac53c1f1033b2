import type { ReactNode } from 'react';
import { InletLogo } from '@/components/inlet-logo';
import { QueryProvider } from '@/components/query-provider';

/**
 * A slim bar with the logo and what this part of Inlet is (no site navigation), over the page's
 * main content.
 */
export function SlimFrame({
  title,
  width,
  actions,
  children,
}: {
  title: string;
  width: 'max-w-4xl' | 'max-w-6xl';
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <QueryProvider>
      <header className="border-b bg-card/60">
        <div
          className={
            `mx-auto flex h-12 w-full ${width} items-center gap-2 px-5 text-sm ` +
            `font-semibold sm:px-8`
          }
        >
          <InletLogo />
          {title}
          {actions}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="flex-1 outline-none">
        {children}
      </main>
    </QueryProvider>
  );
}
