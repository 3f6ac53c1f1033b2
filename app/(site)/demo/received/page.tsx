import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { receivedRecords } from '@/lib/demo/demo-control';
import { DEMO_PROVIDER_ID } from '@/lib/demo/presenter';
import { demoModeEnabled } from '@/lib/env';

export const metadata: Metadata = { title: 'Received records' };

/**
 * What the SaaS's endpoint (the demo's reference receiver) holds from Acme: the latest version of
 * each record.
 */
export default async function ReceivedRecordsPage({
  searchParams,
}: {
  searchParams: Promise<{ provider?: string }>;
}) {
  const { provider = DEMO_PROVIDER_ID } = await searchParams;
  if (!demoModeEnabled()) notFound();
  const received = await receivedRecords(provider.slice(0, 100), 100);
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-6 px-5 py-12 sm:px-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Received records</h1>
        <p className="mt-2 text-muted-foreground">
          The newest records your endpoint received from {provider}, each verified (signature,
          digest, timestamp) and de-duplicated.
        </p>
      </div>
      {received.ok ? (
        received.data.length ? (
          <div className="overflow-x-auto rounded-xl border bg-card">
            <table className="w-full text-left text-xs">
              <caption className="sr-only">
                Latest version of each received record, newest first
              </caption>
              <thead className="border-b text-muted-foreground">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Received
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Endpoint
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Key
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    Record
                  </th>
                </tr>
              </thead>
              <tbody>
                {received.data.map((record) => (
                  <tr key={record.seq} className="border-b last:border-0 align-top">
                    <td className="px-3 py-2 whitespace-nowrap tabular-nums">
                      {new Date(record.receivedAt).toLocaleTimeString('en')}
                    </td>
                    <td className="px-3 py-2 font-mono">{record.path}</td>
                    <td className="px-3 py-2 font-mono">
                      {record.key ?? '—'}
                      {record.isDeleted ? <span className="block text-danger">deleted</span> : null}
                    </td>
                    <td className="px-3 py-2 font-mono break-all">
                      {JSON.stringify(record.record)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-muted-foreground">
            Nothing received yet: open the demo as the customer and launch an import.
          </p>
        )
      ) : (
        <p role="alert" className="text-danger">
          {received.message}
        </p>
      )}
    </div>
  );
}
