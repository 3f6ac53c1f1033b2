// The overview's counts per health and the digest of the failures the error groups read, from the
// rows migration 023's triggers append to provider_health_tallies: a handful of rows, however many
// providers there are.
import type { Queryable } from '../store/db';

/** Rows appended before a read folds them into one. */
const FOLD_AT = 64;

/** SQL: the counts per health of every provider as a jsonb object, and the number of rows read. */
export const TALLIED_COUNTS = `(select jsonb_build_object('failing', coalesce(sum(failing), 0),
  'degraded', coalesce(sum(degraded), 0), 'onboarding_incomplete',
  coalesce(sum(onboarding_incomplete), 0), 'healthy', coalesce(sum(healthy), 0), '_rows', count(*))
  from provider_health_tallies)`;

/**
 * SQL: a digest of the failures and names the error groups read, as judged in the reading
 * statement's snapshot: the same digest, the same failures.
 */
export const FAILURES_DIGEST = `(select coalesce(sum(failures_digest), 0)::text
  from provider_health_tallies)`;

/** Folds the tallies into one row once they are many; concurrent folds keep the sums. */
export async function foldHealthTallies(db: Queryable, rows: number) {
  if (rows < FOLD_AT) return;
  await db.query(
    `with gone as (delete from provider_health_tallies returning *)
     insert into provider_health_tallies (failing, degraded, onboarding_incomplete, healthy,
       failures_digest)
     select coalesce(sum(failing), 0), coalesce(sum(degraded), 0),
       coalesce(sum(onboarding_incomplete), 0), coalesce(sum(healthy), 0),
       coalesce(sum(failures_digest), 0)
     from gone having count(*) > 0`,
  );
}
