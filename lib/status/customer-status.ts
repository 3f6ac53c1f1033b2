// The status snapshot as a customer may see it: the engine's own failures generic, no traces (see
// customer-failure.ts).
import 'server-only';
import { customerJob } from '@/lib/actions/customer-failure';
import type { ProviderStatus } from './load-status';

export function customerStatus(status: ProviderStatus): ProviderStatus {
  return {
    ...status,
    datasets: status.datasets.map((dataset) => ({
      ...dataset,
      extracts: dataset.extracts.map((extract) => customerJob(extract)),
    })),
    streams: status.streams.map((stream) => ({
      ...stream,
      loads: stream.loads.map((load) => customerJob(load)),
    })),
  };
}
