import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { uuidv7 } from '../store/uuid';
import { DUE_RETRIES_SQL } from './load-retries';

const STREAMS = 50_000;

let database: TestDatabase;
const ids = { overdue: uuidv7(), due: uuidv7(), paused: uuidv7(), later: uuidv7() };

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
};
/** The scan nodes of the plan, as `Node on relation (index)`. */
async function planOf(sql: string): Promise<string[]> {
  const { rows } = await database.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (format json) ${sql}`,
  );
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] || node['Index Name'])
      nodes.push(
        `${node['Node Type']} on ${node['Relation Name'] ?? ''} (${node['Index Name'] ?? ''})`,
      );
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(rows[0]!['QUERY PLAN'][0].Plan);
  return nodes;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const [lake, source, dataset, destination] = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
  await db.query(`insert into datalakes (id, name, body) values ($1, 'lake', '{}')`, [lake]);
  await db.query(`insert into destinations (id, name, body) values ($1, 'd', '{}')`, [destination]);
  await db.query(
    `insert into providers (id, name, datalake_id, body) values ('p', 'P', $1, '{}')`,
    [lake],
  );
  await db.query(
    `insert into sources (id, provider_id, name, vendor, body) values ($1, 'p', 's', 'postgres', '{}')`,
    [source],
  );
  await db.query(
    `insert into datasets (id, source_id, provider_id, name, body) values ($1, $2, 'p', 'd', '{}')`,
    [dataset, source],
  );
  // 50,000 streams that delivered everything (nothing waits), as a busy engine has them.
  await db.query(
    `insert into streams (id, dataset_id, destination_id, provider_id, name, body, is_valid)
     select gen_random_uuid(), $1, $2, 'p', 's' || n, '{"is_enabled": true}', true
     from generate_series(1, $3) n`,
    [dataset, destination, STREAMS],
  );
  await db.query(
    `insert into streams (id, dataset_id, destination_id, provider_id, name, body, is_valid)
     select id, $1, $2, 'p', name, jsonb_build_object('is_enabled', name <> 'paused'), true
     from unnest($3::uuid[], $4::text[]) t(id, name)`,
    [dataset, destination, Object.values(ids), Object.keys(ids)],
  );
  await db.query(`insert into stream_state (stream_id, settled_version) select id, 1 from streams`);
  await db.query(
    `update stream_state set next_retry_at = clock_timestamp() + make_interval(mins => t.minutes)
     from unnest($1::uuid[], $2::int[]) t(id, minutes) where stream_id = t.id`,
    [
      [ids.overdue, ids.due, ids.paused, ids.later],
      [-60, -1, -30, 10],
    ],
  );
  await db.query('analyze');
});
afterAll(() => database.drop());

describe('delivery retries at 50,000 streams', () => {
  test('finds the streams due, the longest due first, and none paused or due later', async () => {
    const { rows } = await database.db.query<{ stream_id: string }>(DUE_RETRIES_SQL);
    expect(rows.map((row) => row.stream_id)).toEqual([ids.overdue, ids.due]);
  });

  test('selects them through the retry index, never a scan of every stream', async () => {
    const plan = await planOf(DUE_RETRIES_SQL);
    expect(
      plan.some((node) => node.includes('stream_state_next_retry_idx')),
      plan.join('\n'),
    ).toBe(true);
    expect(
      plan.filter((node) => node.startsWith('Seq Scan')),
      plan.join('\n'),
    ).toEqual([]);
  });
});
