import type { Metadata } from 'next';
import Link from 'next/link';
import { buttonVariants } from '@/components/ui/button';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main
      id="main"
      tabIndex={-1}
      className="mx-auto w-full max-w-5xl flex-1 px-5 py-20 outline-none sm:px-8 sm:py-28"
    >
      <p className="text-sm font-medium text-primary">404</p>
      <h1 className="mt-3 text-2xl font-semibold tracking-tight sm:text-3xl">Page not found</h1>
      <p className="mt-4 max-w-xl leading-7 text-muted-foreground">
        There is no page at this address. It may have moved, or the link may be mistyped.
      </p>
      <Link href="/" className={buttonVariants({ className: 'mt-8' })}>
        Go to the home page
      </Link>
    </main>
  );
}
