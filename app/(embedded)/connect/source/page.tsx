import type { Metadata } from 'next';
import { StepHeader } from '@/components/wizard/step-header';
import { demoSourceHints } from '@/lib/demo/demo-source-hints';
import { getAppEnv } from '@/lib/env';
import { getProvider } from '@/lib/prequel/providers';
import { getSource, listSources } from '@/lib/prequel/sources';
import { fromSource } from '@/lib/wizard/connection-form';
import { wizardStep } from '@/lib/wizard/steps';
import { enterStep } from '@/lib/wizard/wizard-gate';
import { ConnectForm } from './connect-form';

export const metadata: Metadata = { title: 'Connect your database' };

export default async function SourceStep() {
  const gate = await enterStep('source');
  if (gate.kind !== 'ok') return null;
  const [sources, provider] = await Promise.all([
    listSources({ providerId: gate.session.providerId, pageSize: 1 }),
    getProvider(gate.session.providerId),
  ]);
  const saved = sources.ok ? sources.data.items[0] : undefined;
  const full = saved ? await getSource(saved.id) : null;
  const initial = full?.ok ? fromSource(full.data as never) : null;
  const egress = getAppEnv().INLET_EGRESS_ADDRESSES;
  const credentialsOnly = gate.session.scope === 'credentials';
  return (
    <section aria-labelledby="step-title" className="flex flex-col gap-6">
      <StepHeader step="source">
        {credentialsOnly
          ? 'You were sent this link to enter the database connection. Test it, save it, and you ' +
            'are done.'
          : 'Inlet reads from your database on a schedule and sends the rows you choose. Give it ' +
            'a read-only user; the password is stored encrypted.'}
      </StepHeader>
      {/* Whose data this is, so a customer with several accounts (or a DBA sent a link)
          connects the right one. */}
      <p className="-mt-3 text-sm">
        Connecting for{' '}
        <strong className="font-semibold">
          {provider.ok ? provider.data.name : gate.session.providerId}
        </strong>
      </p>
      <ConnectForm
        initial={initial}
        sourceId={saved?.id ?? null}
        egressAddresses={egress.length ? egress : ['the address of the server running Inlet']}
        nextPath={credentialsOnly ? null : wizardStep('data').path}
        demoHints={demoSourceHints()}
      />
    </section>
  );
}
