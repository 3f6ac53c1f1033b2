// GET /api/wizard/datasets: the session's datasets, each with its latest extract, polled while
// extracts run.
import { customerJob } from '@/lib/actions/customer-failure';
import { customerRoute, routeData, routeError } from '@/lib/actions/customer-route';
import { listDatasets, listExtracts } from '@/lib/prequel/datasets';
import { tableOfDataset } from '@/lib/wizard/dataset-choice';

export const GET = customerRoute(async (_request, session) => {
  const datasets = await listDatasets({ providerId: session.providerId, pageSize: 100 });
  if (!datasets.ok) return routeError(datasets.error);
  const rows = await Promise.all(
    datasets.data.items.map(async (dataset) => {
      const extracts = await listExtracts({ datasetId: dataset.id, pageSize: 1, order: 'desc' });
      return {
        id: dataset.id,
        name: dataset.name,
        type: dataset.type,
        frequencyMinutes: dataset.frequency_minutes,
        table: tableOfDataset(dataset),
        latestExtract: extracts.ok ? customerJob(extracts.data.items[0] ?? null) : null,
      };
    }),
  );
  return routeData(rows);
});
