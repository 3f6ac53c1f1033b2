import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ApiStatusCard, ApiStatusCardPending } from '@/components/api-connection/api-status-card';
import { loadApiStatus, loadSettings } from '@/lib/support/load-settings';
import { RecordSchemaEditor } from './record-schema-editor';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const { datalakes, destinations, products, webhooks } = await loadSettings();
  return (
    <div className="flex flex-col gap-10">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Suspense fallback={<ApiStatusCardPending />}>
        <ApiStatusCard check={loadApiStatus} />
      </Suspense>
      <section aria-labelledby="destinations-title" className="flex flex-col gap-4">
        <h2 id="destinations-title" className="text-base font-semibold">
          Destinations
        </h2>
        {destinations.ok ? (
          destinations.data.items.map((destination) => (
            <article key={destination.id} className="rounded-xl border bg-card p-5">
              <p className="mb-3 text-sm">
                <span className="font-semibold">{destination.name}</span> · {destination.type}
              </p>
              <RecordSchemaEditor
                destinationId={destination.id}
                name={destination.name}
                initial={JSON.stringify(destination.record_schema, null, 2)}
              />
            </article>
          ))
        ) : (
          <p className="text-sm text-danger">{destinations.error.message}</p>
        )}
      </section>
      <section aria-labelledby="datalakes-title" className="flex flex-col gap-2">
        <h2 id="datalakes-title" className="text-base font-semibold">
          Datalakes
        </h2>
        <ul className="text-sm">
          {datalakes.ok ? (
            datalakes.data.items.map((lake) => (
              <li key={lake.id}>
                {lake.name} · {lake.storage}
              </li>
            ))
          ) : (
            <li>{datalakes.error.message}</li>
          )}
        </ul>
      </section>
      <section aria-labelledby="products-title" className="flex flex-col gap-2">
        <h2 id="products-title" className="text-base font-semibold">
          Products
        </h2>
        <ul className="text-sm">
          {products.ok ? (
            products.data.items.map((product) => (
              <li key={product.id}>
                {product.name} ·{' '}
                {product.is_builtin
                  ? 'every destination'
                  : `${product.destinations.length} destinations`}
              </li>
            ))
          ) : (
            <li>{products.error.message}</li>
          )}
        </ul>
      </section>
      <section aria-labelledby="webhooks-title" className="flex flex-col gap-2">
        <h2 id="webhooks-title" className="text-base font-semibold">
          Monitoring webhooks
        </h2>
        <ul className="text-sm">
          {webhooks.ok ? (
            webhooks.data.items.length ? (
              webhooks.data.items.map((webhook) => (
                <li key={webhook.id}>
                  {String((webhook as { name?: string }).name ?? webhook.id)}
                </li>
              ))
            ) : (
              <li>None yet.</li>
            )
          ) : (
            <li>{webhooks.error.message}</li>
          )}
        </ul>
      </section>
    </div>
  );
}
