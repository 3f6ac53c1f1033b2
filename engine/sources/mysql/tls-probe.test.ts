import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, test } from 'vitest';
import { opensslAvailable, selfSignedCertificate } from '../testing/fake-servers';
import type { SourceTarget } from '../source-target';
import { parseGreeting, probeMysqlTls } from './tls-probe';

const CLIENT_SSL = 0x800;

/** A server greeting (protocol 10) with the given lower capability flags. */
function greeting(flags: number, version = '8.0.36'): Buffer {
  const payload = Buffer.concat([
    Buffer.from([10]),
    Buffer.from(`${version}\0`),
    Buffer.alloc(4), // connection id
    Buffer.alloc(8, 1), // auth data part 1
    Buffer.from([0]),
    Buffer.from([flags & 0xff, flags >> 8]),
    Buffer.alloc(16),
  ]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  return Buffer.concat([header, payload]);
}

function errorPacket(errno: number, message: string): Buffer {
  const payload = Buffer.concat([
    Buffer.from([0xff, errno & 0xff, errno >> 8]),
    Buffer.from(message),
  ]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  return Buffer.concat([header, payload]);
}

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

async function serve(onConnection: (socket: net.Socket) => void): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const target = (port: number, host = '127.0.0.1'): SourceTarget => ({
  vendor: 'mysql',
  host,
  address: '127.0.0.1',
  port,
  timeoutMs: 2000,
  connection: {
    host,
    port,
    database: 'd',
    auth_method: 'password_auth',
    password_auth: { username: 'u', password: 'p' },
  },
});

describe('parseGreeting', () => {
  test('reads the version and the TLS capability', () => {
    expect(parseGreeting(greeting(CLIENT_SSL | 0x200).subarray(4))).toEqual({
      kind: 'handshake',
      version: '8.0.36',
      supportsTls: true,
    });
    expect(parseGreeting(greeting(0x200, '10.11.6-MariaDB').subarray(4))).toEqual({
      kind: 'handshake',
      version: '10.11.6-MariaDB',
      supportsTls: false,
    });
  });

  test('an error packet and garbage', () => {
    expect(
      parseGreeting(errorPacket(1130, "Host '10.0.0.1' is not allowed to connect").subarray(4)),
    ).toEqual({
      kind: 'error',
      errno: 1130,
      message: "Host '10.0.0.1' is not allowed to connect",
    });
    expect(parseGreeting(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'))).toEqual({ kind: 'other' });
  });
});

describe('probeMysqlTls', () => {
  test.runIf(opensslAvailable())(
    'completes the TLS handshake after the SSLRequest, naming the host (SNI)',
    async () => {
      const context = tls.createSecureContext(selfSignedCertificate('db.mysql.example'));
      const names: string[] = [];
      const requests: Buffer[] = [];
      const port = await serve((socket) => {
        socket.write(greeting(CLIENT_SSL | 0x200));
        socket.once('data', (chunk: Buffer) => {
          // The SSLRequest is 36 bytes; the ClientHello may arrive in the same chunk.
          requests.push(chunk.subarray(0, 36));
          socket.pause();
          if (chunk.length > 36) socket.unshift(chunk.subarray(36));
          const secure = new tls.TLSSocket(socket, {
            isServer: true,
            secureContext: context,
            SNICallback: (name, done) => {
              names.push(name);
              done(null, context);
            },
          });
          secure.on('error', () => {});
        });
      });
      const outcome = await probeMysqlTls(target(port, 'db.mysql.example'));
      expect(outcome).toMatchObject({ ok: true, protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
      expect(names).toEqual(['db.mysql.example']);
      // A 32-byte payload, sequence 1, with CLIENT_SSL set.
      expect(
        requests.map((sent) => [sent.readUIntLE(0, 3), sent[3], sent.readUInt32LE(4) & CLIENT_SSL]),
      ).toEqual([[32, 1, CLIENT_SSL]]);
    },
  );

  test('a server without TLS', async () => {
    const port = await serve((socket) => socket.write(greeting(0x200)));
    expect(await probeMysqlTls(target(port))).toMatchObject({
      ok: false,
      failure: { code: 'tls_not_supported', field: 'mysql.disable_ssl' },
    });
  });

  test('a server that refuses our address before the handshake', async () => {
    const port = await serve((socket) =>
      socket.end(
        errorPacket(1130, "Host '1.2.3.4' is not allowed to connect to this MySQL server"),
      ),
    );
    expect(await probeMysqlTls(target(port))).toMatchObject({
      ok: false,
      failure: { code: 'host_not_allowed', field: 'mysql.host' },
    });
  });

  test('another service on the port', async () => {
    const port = await serve((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    expect(await probeMysqlTls(target(port))).toMatchObject({
      ok: false,
      failure: { code: 'not_mysql', field: 'mysql.port' },
    });
  });
});
