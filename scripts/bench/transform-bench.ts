// `npm run bench:transform`: extracts a few thousand sample customers, then measures test-transform
// over HTTP for 50 random records per call against the p95 < 150 ms target. Speed is measured here,
// never asserted in tests.
import path from 'node:path';
import { runExtract } from '../../engine/extract/run-extract';
import { triggerExtract } from '../../engine/extract/trigger-extract';
import { benchLog as log, openBenchDatabases } from './bench-databases';
import { customerMappings, customerRecordSchema } from './customer-mapping';
import { measureTestTransform, RECORDS_PER_CALL, TARGET_P95_MS } from './measure-test-transform';
import { type BenchEngine, startBenchEngine } from './start-bench-engine';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 5000);
const CALLS = Number(process.env.BENCH_CALLS ?? 100);
const WARMUP_CALLS = 5;

const databases = await openBenchDatabases({ customers: CUSTOMERS });
let bench: BenchEngine | null = null;
try {
  const liveIds = await databases.liveIds();
  const api = (bench = await startBenchEngine(databases.engineUrl, {
    dataDir: path.join(databases.scratch, 'engine'),
  }));
  const dataset = await api.createCustomerDataset(databases.sourceUrl);
  log('Extracting…');
  const { extract } = await triggerExtract(api.engine.db, dataset.id, 'api');
  await runExtract(api.engine, extract.id, { workerId: 'bench', lagSeconds: 0 });
  const destination = await api.create('/import/destinations?skip_validation=true', {
    destination: {
      name: 'bench',
      type: 'webhook_record',
      record_schema: customerRecordSchema,
      webhook_record: { request_template: { uri: 'http://127.0.0.1:9/records', method: 'POST' } },
    },
  });
  const stream = await api.create('/import/streams', {
    stream: {
      name: 'bench',
      dataset_id: dataset.id,
      destination_id: destination.id,
      mappings: customerMappings,
    },
  });

  log(`Calling test-transform ${CALLS} times with ${RECORDS_PER_CALL} random records…`);
  const timings = await measureTestTransform(
    (pathname, body) => api.call('POST', pathname, body),
    stream.id,
    liveIds,
    { calls: CALLS, warmupCalls: WARMUP_CALLS },
  );

  console.log(
    `\nTransform benchmark: ${CUSTOMERS.toLocaleString()} cached customers, ` +
      `${customerMappings.length} mappings, ${CALLS} calls of ${RECORDS_PER_CALL} random records ` +
      `over HTTP\n`,
  );
  console.log(`  test-transform p50   ${timings.p50.toFixed(1).padStart(7)} ms`);
  console.log(
    `  test-transform p95   ${timings.p95.toFixed(1).padStart(7)} ms   (target < ` +
      `${TARGET_P95_MS} ms) ${timings.p95 < TARGET_P95_MS ? 'met' : 'NOT MET'}`,
  );
  console.log(`  test-transform max   ${timings.max.toFixed(1).padStart(7)} ms`);
  console.log(
    `  records transformed  ${timings.transformed.toLocaleString()}, record errors ` +
      `${timings.errored.toLocaleString()}\n`,
  );
} finally {
  await bench?.close().catch(() => {});
  await databases.close();
}
