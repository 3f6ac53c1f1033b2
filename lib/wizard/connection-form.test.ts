import { describe, expect, test } from 'vitest';
import {
  CONNECT_VENDORS,
  ConnectionFormSchema,
  emptyConnectionForm,
  endpointChanges,
  formFieldOf,
  fromSource,
  passwordNeeded,
  readOnlyUserSql,
  toSourceInput,
  toSourcePatch,
} from './connection-form';

const filled = {
  ...emptyConnectionForm('postgres'),
  host: 'db.acme.example.com',
  database: 'production',
  username: 'inlet',
  password: 's3cret',
};

describe('the connect form', () => {
  test('becomes the contract source, SSL on by default', () => {
    const values = ConnectionFormSchema.parse(filled);
    expect(toSourceInput(values, 'acme')).toEqual({
      name: 'Production Postgres',
      provider_id: 'acme',
      vendor: 'postgres',
      postgres: {
        host: 'db.acme.example.com',
        port: 5432,
        database: 'production',
        auth_method: 'password_auth',
        password_auth: { username: 'inlet', password: 's3cret' },
        disable_ssl: false,
        use_ssh_tunnel: false,
      },
    });
  });

  test('sends no password in an edit that leaves it blank, so the saved one stays', () => {
    const values = ConnectionFormSchema.parse({ ...filled, password: '' });
    expect(toSourcePatch(values)).toMatchObject({
      postgres: { password_auth: { username: 'inlet' } },
    });
    expect(JSON.stringify(toSourcePatch(values))).not.toContain('password"');
  });

  test('round-trips a saved source without its password', () => {
    const values = ConnectionFormSchema.parse({
      ...filled,
      vendor: 'mysql',
      port: 3306,
      useSshTunnel: true,
      sshHost: 'bastion.acme.example.com',
      sshUsername: 'tunnel',
    });
    const saved = toSourceInput(values, 'acme') as unknown as {
      name: string;
      vendor: string;
    } & Record<string, unknown>;
    expect(fromSource(saved)).toMatchObject({
      vendor: 'mysql',
      host: 'db.acme.example.com',
      password: '',
      useSshTunnel: true,
      sshHost: 'bastion.acme.example.com',
    });
  });

  test('says what to fix, per field', () => {
    const result = ConnectionFormSchema.safeParse({
      ...filled,
      host: '',
      port: 70000,
      useSshTunnel: true,
    });
    const messages = Object.fromEntries(
      (result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]),
    );
    expect(messages).toEqual({
      host: 'Enter the host name or IP address of the database server.',
      port: 'Ports run from 1 to 65535.',
      sshHost: 'Enter the SSH bastion host, or turn the tunnel off.',
      sshUsername: 'Enter the SSH user name.',
    });
  });

  test('offers only the databases the engine can connect to', () => {
    expect(CONNECT_VENDORS.map((vendor) => vendor.id)).toEqual(['postgres', 'mysql']);
  });

  test('without any SSH field (the form offers no tunnel yet) connects directly', () => {
    const values = ConnectionFormSchema.parse({
      vendor: 'postgres',
      name: 'Production',
      host: 'db.acme.example.com',
      port: 5432,
      database: 'production',
      username: 'inlet',
      password: 's3cret',
      requireSsl: true,
    });
    expect(values.useSshTunnel).toBe(false);
    expect(toSourceInput(values, 'acme')).toMatchObject({
      postgres: { use_ssh_tunnel: false },
    });
    expect(JSON.stringify(toSourceInput(values, 'acme'))).not.toContain('ssh_tunnel_host');
  });

  test('places the API complaints on the fields they concern', () => {
    expect(formFieldOf('postgres.password_auth.password')).toBe('password');
    expect(formFieldOf('source.mysql.host')).toBe('host');
    expect(formFieldOf('source.name')).toBe('name');
    expect(formFieldOf('postgres.ssh_tunnel.ssh_tunnel_host')).toBe('sshHost');
    expect(formFieldOf('provider_id')).toBeNull();
  });

  test('offers least-privilege SQL for the user being configured', () => {
    expect(readOnlyUserSql('postgres', { database: 'production', username: 'inlet' })).toContain(
      'GRANT SELECT ON ALL TABLES IN SCHEMA public TO inlet;',
    );
    expect(readOnlyUserSql('mysql', { database: 'shop', username: '' })).toContain(
      "GRANT SELECT, SHOW VIEW ON shop.* TO 'inlet_reader'@'%';",
    );
  });
});

describe('the saved password goes only where it was entered for', () => {
  const saved = { ...filled, password: '' };

  test('a new connection always needs the password', () => {
    expect(passwordNeeded(null, filled)).toBe('Enter the password of the database user.');
  });

  test('name, schema and untouched fields keep the saved password, whatever the input types', () => {
    expect(passwordNeeded(saved, { ...saved, name: 'Renamed', schema: 'sales' })).toBeNull();
    expect(
      passwordNeeded(saved, { ...saved, port: '5432', host: ' db.acme.example.com ' }),
    ).toBeNull();
    // Tunnel settings of a tunnel that stays off are not sent anywhere.
    expect(passwordNeeded(saved, { ...saved, sshHost: 'bastion.example.com' })).toBeNull();
  });

  test.each([
    [{ host: 'attacker.example.com' }, 'Enter the password again: the host changed.'],
    [{ port: 6432 }, 'Enter the password again: the port changed.'],
    [{ database: 'other' }, 'Enter the password again: the database changed.'],
    [{ username: 'someone' }, 'Enter the password again: the user name changed.'],
    [{ requireSsl: false }, 'Enter the password again: the SSL setting changed.'],
    [
      { useSshTunnel: true, sshHost: 'bastion.example.com', sshUsername: 'me' },
      'Enter the password again: the SSH tunnel changed.',
    ],
    [
      { host: 'attacker.example.com', port: 6432, requireSsl: false },
      'Enter the password again: the host, port and SSL setting changed.',
    ],
  ])('%j needs the password again', (change, hint) => {
    expect(passwordNeeded(saved, { ...saved, ...change })).toBe(hint);
  });

  test('a changed tunnel host counts while the tunnel is on', () => {
    const tunnelled = {
      ...saved,
      useSshTunnel: true,
      sshHost: 'bastion.example.com',
      sshUsername: 'me',
    };
    expect(endpointChanges(tunnelled, { ...tunnelled, sshHost: 'elsewhere.example.com' })).toEqual([
      'SSH tunnel',
    ]);
  });

  test('the API refusing the old password lands on the password field', () => {
    expect(formFieldOf('source.postgres.password_auth.password')).toBe('password');
  });
});
