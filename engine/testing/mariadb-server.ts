// Debian's MariaDB, started by hand with its own data directory and socket (apt does not start it
// here).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { freePort } from '../../scripts/lib/free-port';

const SERVER_BINARIES = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'];

export function mariadbAvailable(): boolean {
  return SERVER_BINARIES.some((binary) => existsSync(binary));
}

export async function startMariadb(options: { directory: string }) {
  const binary = SERVER_BINARIES.find((candidate) => existsSync(candidate));
  if (!binary)
    throw new Error(
      'MariaDB is not installed: apt-get install -y mariadb-server (CI does this in .ci/run).',
    );
  const directory = path.resolve(options.directory);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(
      directory,
      Number(execFileSync('id', ['-u', 'mysql']).toString()),
      Number(execFileSync('id', ['-g', 'mysql']).toString()),
    );
  const dataDir = path.join(directory, 'data');
  const socket = path.join(directory, 'mysqld.sock');
  execFileSync(
    'mariadb-install-db',
    [
      ...(asRoot ? ['--user=mysql'] : []),
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      // --no-defaults must come first, or mariadbd rejects it.
      '--no-defaults',
      ...(asRoot ? ['--user=mysql'] : []),
      `--datadir=${dataDir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${socket}`,
      `--pid-file=${path.join(directory, 'mysqld.pid')}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=64M',
      '--innodb-flush-log-at-trx-commit=0',
    ],
    { stdio: 'ignore' },
  );
  child.unref();
  // The root account of a fresh install has no password but may only log in locally; create a TCP
  // admin.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const connection = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await connection.query(
        `CREATE USER IF NOT EXISTS 'inlet_admin'@'127.0.0.1' IDENTIFIED BY 'inlet_admin'`,
      );
      await connection.query(`GRANT ALL ON *.* TO 'inlet_admin'@'127.0.0.1' WITH GRANT OPTION`);
      await connection.end();
      break;
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`MariaDB did not start: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return {
    adminUrl: `mysql://inlet_admin:inlet_admin@127.0.0.1:${port}/`,
    port,
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
