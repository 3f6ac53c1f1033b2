import type { Metadata, Viewport } from 'next';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { PresenterMask } from '@/components/demo/presenter-mask';
import { PRESENTER_COOKIE } from '@/lib/demo/presenter';
import { demoModeEnabled } from '@/lib/env';
import './globals.css';
import { cn } from '@/lib/utils';

export const metadata: Metadata = {
  title: { default: 'Inlet', template: '%s · Inlet' },
  description:
    'Inlet lets the customers of a SaaS connect their own database, choose tables, map fields ' +
    'and watch their data flow in.',
  applicationName: 'Inlet',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#f7f8fa' },
    { media: '(prefers-color-scheme: dark)', color: '#0b1018' },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Cookies first: the demo switch is a runtime setting, so no page may be prerendered without
  // asking.
  const presenterCookie = (await cookies()).get(PRESENTER_COOKIE)?.value;
  const presenting = demoModeEnabled() && presenterCookie === '1';
  return (
    <html lang="en">
      <body className="flex min-h-dvh flex-col font-sans">
        <a
          href="#main"
          className={cn(
            'sr-only rounded-md bg-card px-4 py-2 text-sm font-medium shadow-md',
            'focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50',
          )}
        >
          Skip to main content
        </a>
        {children}
        {presenting ? <PresenterMask /> : null}
      </body>
    </html>
  );
}
