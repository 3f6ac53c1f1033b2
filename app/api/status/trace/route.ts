// GET /api/status/trace?dataset=&record=: one record at each stage of the pipeline, for the record
// tracer.
import { customerRoute } from '@/lib/actions/customer-route';
import { ownedDataset } from '@/lib/session/ownership';
import { traceRecord } from '@/lib/status/record-trace';

export const GET = customerRoute((request, session) =>
  traceRecord(request, (datasetId) => ownedDataset(session, datasetId)),
);
