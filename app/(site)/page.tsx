import { Suspense } from 'react';
import { ApiStatusCard, ApiStatusCardPending } from '@/components/api-connection/api-status-card';
import { DemoLanding } from '@/components/demo/demo-landing';
import { demoModeEnabled } from '@/lib/env';
import { getApiStatus } from '@/lib/prequel/client';
import { cn } from '@/lib/utils';

// The status card reports the live state of the Import API, so the page is rendered per request.
export const dynamic = 'force-dynamic';

const steps = [
  {
    title: 'Connect a database',
    body:
      'The customer enters credentials for their own Postgres or MySQL, and a step-by-step ' +
      'test says exactly what works.',
  },
  {
    title: 'Choose tables',
    body:
      'They pick the tables to import; keys, sizes and change-tracking columns are found for ' +
      'them.',
  },
  {
    title: 'Map fields',
    body:
      'Each field of your record schema gets a column or an expression, checked by a live ' +
      'preview on real records.',
  },
  {
    title: 'Watch it flow',
    body: 'Imports run on schedule, with freshness, counts, and errors that say whose move it is.',
  },
] as const;

export default function HomePage() {
  return (
    <div className="mx-auto w-full max-w-5xl px-5 pt-14 pb-20 sm:px-8 sm:pt-20 sm:pb-28">
      <div className="max-w-3xl">
        <p className="text-sm font-medium text-primary">Embedded data import</p>
        <h1
          className={cn(
            'mt-3 text-3xl font-semibold tracking-tight text-balance',
            'sm:text-[2.75rem] sm:leading-[1.1]',
          )}
        >
          Let your customers bring their own data
        </h1>
        <p
          className={cn(
            'mt-5 text-base leading-7 text-pretty text-muted-foreground',
            'sm:text-lg sm:leading-8',
          )}
        >
          A SaaS embeds Inlet in its product so that each of its customers can connect their own
          database, choose tables, map fields onto the SaaS&apos;s record schema with a live
          preview, and watch the data flow in. The pipeline underneath is the Prequel Import API,
          served locally by Inlet&apos;s own engine.
        </p>
      </div>

      {demoModeEnabled() ? <DemoLanding /> : null}

      <div
        className={cn(
          'mt-14 grid gap-12 sm:mt-16',
          'lg:grid-cols-[minmax(0,1fr)_minmax(0,25rem)] lg:gap-14',
        )}
      >
        <section aria-labelledby="how-it-works-title">
          <h2 id="how-it-works-title" className="text-base font-semibold tracking-tight">
            How an import works
          </h2>
          <ol className="mt-6 grid gap-x-8 gap-y-7 sm:grid-cols-2">
            {steps.map((step, index) => (
              <li key={step.title} className="flex gap-4">
                <span
                  aria-hidden="true"
                  className={cn(
                    'flex size-7 shrink-0 items-center justify-center rounded-full border',
                    'bg-card text-xs font-semibold text-muted-foreground tabular-nums',
                  )}
                >
                  {index + 1}
                </span>
                <div>
                  <h3 className="text-sm font-semibold leading-7">{step.title}</h3>
                  <p className="mt-1 text-sm leading-6 text-muted-foreground">{step.body}</p>
                </div>
              </li>
            ))}
          </ol>
        </section>

        {/* The API's address is configuration: only the demo, which runs on loopback, shows it to
           visitors. */}
        {demoModeEnabled() ? (
          <div className="lg:self-start">
            <Suspense fallback={<ApiStatusCardPending />}>
              <ApiStatusCard check={getApiStatus} />
            </Suspense>
          </div>
        ) : null}
      </div>
    </div>
  );
}
