// Test helper run as a child process: publishes a file into a local datalake, so a test can SIGKILL
// it mid-write. Arguments: <data dir> <source file> <key>.
import path from 'node:path';
import { createLocalDatalake } from '../local-datalake';

const [dataDir = '', source = '', key = ''] = process.argv.slice(2);
await createLocalDatalake('lake', { dataDir, cacheDir: path.join(dataDir, 'cache') }).putFile(
  key,
  source,
);
