import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { uuidv7 } from '../store/uuid';
import { DUE_DATASETS_SQL, triggerExtract } from './trigger-extract';

const DATASETS = 50_000;

let database: TestDatabase;
const ids = { fresh: uuidv7(), overdue: uuidv7(), due: uuidv7(), busy: uuidv7() };

/** The scan and index nodes of the plan, as `Node on relation (index)`. */
async function planOf(sql: string): Promise<string[]> {
  const { rows } = await database.db.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
    `explain (format json) ${sql}`,
  );
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    if (node['Relation Name'])
      nodes.push(`${node['Node Type']} on ${node['Relation Name']} (${node['Index Name'] ?? ''})`);
    else if (node['Index Name']) nodes.push(`${node['Node Type']} (${node['Index Name']})`);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(rows[0]!['QUERY PLAN'][0].Plan);
  return nodes;
}
type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
};

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  const lake = uuidv7();
  const source = uuidv7();
  await db.query(`insert into datalakes (id, name, body) values ($1, 'lake', '{}')`, [lake]);
  await db.query(
    `insert into providers (id, name, datalake_id, body) values ('p', 'P', $1, '{}')`,
    [lake],
  );
  await db.query(
    `insert into sources (id, provider_id, name, vendor, body) values ($1, 'p', 's', 'postgres', '{}')`,
    [source],
  );
  // 50,000 datasets that ran once and are next due in an hour, as a busy engine has them.
  await db.query(
    `insert into datasets (id, source_id, provider_id, name, body)
     select gen_random_uuid(), $1, 'p', 'd' || n, '{"frequency_minutes": 60}' from generate_series(1, $2) n`,
    [source, DATASETS],
  );
  await db.query(`update dataset_state set next_run_at = clock_timestamp() + interval '1 hour'`);
  await db.query(
    `insert into extracts (id, dataset_id, status, ended_at)
     select gen_random_uuid(), id, 'succeeded', clock_timestamp() from datasets`,
  );
  await db.query(
    `insert into datasets (id, source_id, provider_id, name, body)
     select id, $1, 'p', name, '{"frequency_minutes": 60}' from unnest($2::uuid[], $3::text[]) t(id, name)`,
    [source, Object.values(ids), Object.keys(ids)],
  );
  await db.query(
    `update dataset_state set next_run_at = clock_timestamp() - interval '1 day' where dataset_id = $1`,
    [ids.overdue],
  );
  await db.query(
    `update dataset_state set next_run_at = clock_timestamp() - interval '1 minute' where dataset_id = any($1)`,
    [[ids.due, ids.busy]],
  );
  await triggerExtract(db, ids.busy, 'api');
  await db.query('analyze');
});
afterAll(() => database.drop());

describe('the scheduler at 50,000 datasets', () => {
  test('finds a new dataset first, then the longest due, and none with an extract queued', async () => {
    const { rows } = await database.db.query<{ id: string }>(DUE_DATASETS_SQL);
    expect(rows.map((row) => row.id)).toEqual([ids.fresh, ids.overdue, ids.due]);
  });

  test('selects due datasets through the schedule index, never a scan of every dataset', async () => {
    const plan = await planOf(DUE_DATASETS_SQL);
    expect(
      plan.some((node) => node.includes('dataset_state_next_run_idx')),
      plan.join('\n'),
    ).toBe(true);
    expect(
      plan.filter((node) => node.startsWith('Seq Scan')),
      plan.join('\n'),
    ).toEqual([]);
  });
});
