import Link from 'next/link';
import { InletLogo } from '@/components/inlet-logo';
import { cn } from '@/lib/utils';

export function SiteHeader() {
  return (
    <header className="border-b bg-card/60">
      <div className="mx-auto flex h-16 w-full max-w-5xl items-center px-5 sm:px-8">
        <Link
          href="/"
          className={cn(
            '-mx-1 flex items-center gap-2.5 rounded-md px-1 text-[0.95rem]',
            'font-semibold tracking-tight',
          )}
        >
          <InletLogo />
          Inlet
        </Link>
      </div>
    </header>
  );
}
