import { cookies } from 'next/headers';
import Link from 'next/link';
import { QueryProvider } from '@/components/query-provider';
import { Button, buttonVariants } from '@/components/ui/button';
import { openAsCustomer, openCustomerStatus, openSupportConsole } from '@/lib/actions/demo';
import { getDemoState } from '@/lib/demo/demo-control';
import { PRESENTER_COOKIE } from '@/lib/demo/presenter';
import { DemoPanel } from './demo-panel';

/** The demo's front door: open each view with one click, and switch what goes wrong. */
export async function DemoLanding() {
  const [state, jar] = await Promise.all([getDemoState(), cookies()]);
  return (
    <section aria-labelledby="demo-title" className="mt-12 flex flex-col gap-6">
      <h2 id="demo-title" className="text-xl font-semibold tracking-tight">
        Try it: you are the SaaS, Acme Corp is your customer
      </h2>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <form action={openAsCustomer}>
          <Button type="submit" className="w-full">
            Open as the customer (Acme Corp)
          </Button>
        </form>
        <form action={openCustomerStatus}>
          <Button type="submit" variant="outline" className="w-full">
            Acme’s status page
          </Button>
        </form>
        <form action={openSupportConsole}>
          <Button type="submit" variant="outline" className="w-full">
            Open the support console
          </Button>
        </form>
        <Link
          href="/demo/received"
          className={buttonVariants({ variant: 'outline', className: 'w-full' })}
        >
          Received records
        </Link>
      </div>
      <QueryProvider>
        <DemoPanel
          initial={state.ok ? state.data : null}
          presenting={jar.get(PRESENTER_COOKIE)?.value === '1'}
          problem={state.ok ? null : state.message}
        />
      </QueryProvider>
    </section>
  );
}
