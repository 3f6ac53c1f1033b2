import type { Metadata } from 'next';
import { StepHeader } from '@/components/wizard/step-header';
import { getCapabilities } from '@/lib/prequel/capabilities';
import { wizardStep } from '@/lib/wizard/steps';
import { enterStep } from '@/lib/wizard/wizard-gate';
import { DatasetByHandForm } from './dataset-by-hand-form';
import { DatasetProgress } from './dataset-progress';
import { TableBrowser } from './table-browser';

export const metadata: Metadata = { title: 'Choose data' };

export default async function ChooseDataStep() {
  const gate = await enterStep('data');
  if (gate.kind !== 'ok') return null;
  const capabilities = await getCapabilities();
  const canBrowse = capabilities.ok && capabilities.data.tables;
  return (
    <section aria-labelledby="step-title" className="flex flex-col gap-8">
      <StepHeader step="data">
        Pick the tables to import. Inlet finds each table&apos;s key and the columns that say when a
        row changed, so later imports only read what changed. The first import starts as soon as you
        choose.
      </StepHeader>
      <DatasetProgress nextPath={wizardStep('map').path} />
      {canBrowse ? <TableBrowser /> : <DatasetByHandForm reads="table" />}
      <DatasetByHandForm reads="sql" />
    </section>
  );
}
