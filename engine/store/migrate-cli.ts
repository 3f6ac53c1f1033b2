// `npm run migrate`: apply pending migrations to DATABASE_URL and exit.
import { createPool } from './db';
import { migrate } from './migrate';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set: point it at the engine database (postgres://user:pass@host:5432/db).',
  );
  process.exit(1);
}
const db = createPool(url, { max: 1 });
const applied = await migrate(db);
console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date.');
await db.end();
