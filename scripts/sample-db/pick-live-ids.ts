// Random existing rows for simulate-changes: deterministic for one seed and database state, and
// cheap on big tables (probes random ids through the primary key instead of ORDER BY random() over
// the whole table).
import type { Prng } from './prng';
import type { SampleSession } from './sample-session';
import type { SampleTableName } from './sample-tables';
import { integerLiteral, join, sql, type Sql } from './sql-fragment';

const PROBE_ROUNDS = 4;

/**
 * Up to `count` distinct ids in 1..maxId of rows matching `condition`, fewer only if fewer exist.
 */
export async function pickLiveIds(
  session: SampleSession,
  rng: Prng,
  table: SampleTableName,
  maxId: bigint,
  count: number,
  condition: Sql,
): Promise<string[]> {
  if (count === 0 || maxId === 0n) return [];
  const max = Number(maxId);
  const picked: string[] = [];
  const probed = new Set<string>();
  for (let round = 0; round < PROBE_ROUNDS && picked.length < count && probed.size < max; round++) {
    const candidates = drawCandidates(rng, max, 2 * (count - picked.length) + 16, probed);
    const rows = await session.query(
      sql`SELECT id FROM ${session.table(table)}
        WHERE id IN (${join(candidates.map(integerLiteral), ', ')}) AND ${condition}`,
    );
    const live = new Set(rows.map((row) => row.id));
    // Candidate order, not the database's row order: the result must not depend on the query plan.
    for (const id of candidates) if (live.has(id) && picked.length < count) picked.push(id);
  }
  if (picked.length < count) {
    // Few live rows among many ids (a small or heavily deleted table): list them all and draw from
    // those.
    const chosen = new Set(picked);
    const rows = await session.query(
      sql`SELECT id FROM ${session.table(table)} WHERE ${condition} ORDER BY id`,
    );
    const rest = rows.map((row) => row.id!).filter((id) => !chosen.has(id));
    while (picked.length < count && rest.length > 0)
      picked.push(rest.splice(rng.int(rest.length), 1)[0]!);
  }
  return picked;
}

function drawCandidates(rng: Prng, max: number, wanted: number, probed: Set<string>): string[] {
  const candidates: string[] = [];
  for (
    let tries = 0;
    candidates.length < wanted && probed.size < max && tries < wanted * 4;
    tries++
  ) {
    const id = String(1 + rng.int(max));
    if (probed.has(id)) continue;
    probed.add(id);
    candidates.push(id);
  }
  return candidates;
}
