import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { EmbedFrame } from '@/components/embed/embed-frame';
import { demoModeEnabled } from '@/lib/env';
import { getProvider, listProviders } from '@/lib/prequel/providers';
import { mintInvite } from '@/lib/session/mint-invite';

export const metadata: Metadata = { title: 'Embedding example' };

const SNIPPET = `// Your backend, per customer, when they open "Import data":
const response = await fetch('https://inlet.example.com/api/embed/sessions', {
  method: 'POST',
  headers: {
    Authorization: \`Bearer \${process.env.INLET_EMBED_SECRET}\`,
    'Content-Type': 'application/json',
  },
  body: JSON.stringify({ provider_id: customer.id, actor: user.email }),
});
const { data } = await response.json();

// Your page:
<iframe title="Data import" src={data.url} />
window.addEventListener('message', (event) => {
  if (event.origin !== 'https://inlet.example.com') return;
  // { type: 'inlet:step_changed', step } · { type: 'inlet:completed' }
});`;

/**
 * A host page, as a SaaS would write one: mint an invite server-side, frame the wizard, listen to
 * its events.
 */
export default async function EmbedExamplePage({
  searchParams,
}: {
  searchParams: Promise<{ provider?: string }>;
}) {
  // Read the request first: the demo switch is a runtime setting, so this page must never be
  // prerendered.
  const { provider: providerId } = await searchParams;
  if (!demoModeEnabled()) notFound();
  const providers = await listProviders({ pageSize: 50 });
  const chosen = providerId ? await getProvider(providerId) : null;
  const invite = chosen?.ok
    ? mintInvite({
        role: 'customer',
        providerId: chosen.data.id,
        scope: 'full',
        actor: 'embedding example',
      })
    : null;
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-8 px-5 py-12 sm:px-8">
      <div className="max-w-3xl">
        <h1 className="text-2xl font-semibold tracking-tight">Embedding example</h1>
        <p className="mt-3 leading-7 text-muted-foreground">
          This page plays the SaaS: its server mints an invite for one customer and frames the
          wizard. Pick a customer.
        </p>
      </div>
      <pre className="overflow-x-auto rounded-xl border bg-card p-4 text-xs leading-5">
        <code>{SNIPPET}</code>
      </pre>
      <nav aria-label="Customers">
        <ul className="flex flex-wrap gap-2 text-sm">
          {(providers.ok ? providers.data.items : []).map((provider) => (
            <li key={provider.id}>
              <Link
                href={`/embed-example?provider=${encodeURIComponent(provider.id)}`}
                aria-current={provider.id === providerId ? 'page' : undefined}
                className="rounded-full border px-3 py-1 hover:bg-muted"
              >
                {provider.name}
              </Link>
            </li>
          ))}
        </ul>
        {providers.ok && providers.data.items.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No customers yet: create a provider through the Import API.
          </p>
        ) : null}
      </nav>
      {invite?.ok ? (
        <EmbedFrame src={`/connect?session=${encodeURIComponent(invite.token)}`} />
      ) : null}
      {invite && !invite.ok ? <p role="alert">{invite.message}</p> : null}
    </div>
  );
}
