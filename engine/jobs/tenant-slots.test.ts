import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTableDataset, extractNow } from '../testing/extract-fixtures';
import { type Load, loadAndWait, recordStream } from '../testing/load-fixtures';
import { createSourceDatabase, type SourceDatabase } from '../testing/source-database';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// An engine with two job slots, and an endpoint that holds the big tenant's deliveries until the
// test lets them go: its loads run for as long as the test wants.
const CUSTOMERS = 20;
let api: TestEngine;
let source: SourceDatabase;
let endpointUrl: string;
const held: ServerResponse[] = [];
let holding = true;
const endpoint = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    if (holding && request.url === '/big') held.push(response);
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});

beforeAll(async () => {
  api = await startTestEngine({ jobs: { concurrency: 2, load: { timeoutMs: 30_000 } } });
  source = await createSourceDatabase({
    customers: CUSTOMERS,
    accountsPerCustomer: 0,
    ordersPerCustomer: 0,
    eventsPerCustomer: 0,
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  holding = false;
  for (const response of held) response.end();
  await api.close();
  await source.drop();
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
});

/** A tenant of its own (provider, source, dataset) over the customers, extracted. */
async function tenant() {
  const dataset = await createTableDataset(api, source, {
    table: { source_table_namespace: 'public', source_table_name: 'customers' },
    type: 'dimension',
    dimension: { primary_key_column: 'id' },
  });
  await extractNow(api, dataset.id);
  return dataset.id;
}

const loadOf = async (id: string) =>
  (await api.request<{ data: { load: Load } }>('GET', `/import/loads/${id}`)).body.data.load;

describe('job slots shared between tenants', () => {
  test("a small tenant's load runs at once while a big tenant's loads would hold every slot", async () => {
    const big = await tenant();
    const small = await tenant();
    const bigStreams = [
      await recordStream(api, { datasetId: big, uri: `${endpointUrl}/big` }),
      await recordStream(api, { datasetId: big, uri: `${endpointUrl}/big` }),
    ];
    const smallStream = await recordStream(api, { datasetId: small, uri: `${endpointUrl}/small` });
    const bigLoads: Load[] = [];
    for (const stream of bigStreams)
      bigLoads.push(
        (
          await api.request<{ data: { load: Load } }>(
            'POST',
            `/import/streams/${stream.id}/load`,
            {},
          )
        ).body.data.load,
      );
    // One big load is delivering (and held); the other had a free slot to take, and did not.
    while (!held.length) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      (await Promise.all(bigLoads.map((load) => loadOf(load.id)))).map((load) => load.status),
    ).toEqual(expect.arrayContaining(['running', 'queued']));

    const smallLoad = await loadAndWait(api, smallStream.id, 15_000);
    expect(smallLoad).toMatchObject({ status: 'succeeded', records_loaded: CUSTOMERS });
    const statuses = (await Promise.all(bigLoads.map((load) => loadOf(load.id)))).map(
      (load) => load.status,
    );
    expect(statuses.sort()).toEqual(['queued', 'running']);

    // Let go, the big tenant's loads finish one after the other.
    holding = false;
    for (const response of held.splice(0))
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    for (const load of bigLoads) {
      for (let current = await loadOf(load.id); current.status !== 'succeeded';) {
        expect(['queued', 'running']).toContain(current.status);
        await new Promise((resolve) => setTimeout(resolve, 50));
        current = await loadOf(load.id);
      }
    }
  }, 60_000);
});
