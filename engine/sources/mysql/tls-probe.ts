// The tls check: reads the server greeting on a fresh socket, asks for TLS (SSLRequest) and
// completes the handshake.
import type net from 'node:net';
import { awaitAnswer } from '../await-answer';
import { tlsNotSupportedFailure } from '../connect-failures';
import { openSocket, silentServerFailure } from '../open-socket';
import type { ConnectFailure } from '../source-connect-error';
import { fieldOf, type SourceTarget } from '../source-target';
import { type TlsOutcome, upgradeToTls } from '../tls-upgrade';

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SSL = 0x800;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const UTF8MB4_GENERAL_CI = 45;

export type Greeting =
  | { kind: 'handshake'; version: string; supportsTls: boolean }
  | { kind: 'error'; errno: number; message: string }
  | { kind: 'other' };

export async function probeMysqlTls(target: SourceTarget): Promise<TlsOutcome> {
  const socket = await openSocket(target);
  try {
    const packet = await firstPacket(socket, target.timeoutMs);
    if (packet === null) return { ok: false, failure: silentServerFailure(target, 'tls') };
    const greeting = parseGreeting(packet);
    if (greeting.kind === 'error') return { ok: false, failure: greetingError(greeting, target) };
    if (greeting.kind === 'other') {
      return {
        ok: false,
        failure: {
          check: 'tls',
          code: 'not_mysql',
          message: `${target.host}:${target.port} does not answer like a MySQL server.`,
          hint:
            'Check the port: it may belong to another service (Postgres listens on 5432, ' +
            'MySQL on 3306).',
          field: fieldOf('mysql', 'port'),
        },
      };
    }
    if (!greeting.supportsTls) {
      return {
        ok: false,
        failure: tlsNotSupportedFailure('mysql', `The server (${greeting.version})`),
      };
    }
    socket.write(sslRequest());
    return await upgradeToTls(socket, target);
  } finally {
    socket.destroy();
  }
}

/** The first protocol packet's payload, or null when the server stays silent. */
function firstPacket(socket: net.Socket, timeoutMs: number): Promise<Buffer | null> {
  return awaitAnswer<Buffer>(socket, timeoutMs, (done) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 5) return;
      // Another protocol (SSH, HTTP, Postgres…) would make us wait for a nonsense length: judge by
      // the first byte.
      if (received[4] !== 10 && received[4] !== 0xff) return done(received.subarray(4));
      const length = received.readUIntLE(0, 3);
      if (received.length >= 4 + length) done(received.subarray(4, 4 + length));
    });
    socket.once('error', () => done(Buffer.alloc(0)));
    socket.once('close', () => done(Buffer.alloc(0)));
  });
}

export function parseGreeting(payload: Buffer): Greeting {
  if (payload[0] === 0xff && payload.length >= 3) {
    const errno = payload.readUInt16LE(1);
    const text = payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('utf8');
    return { kind: 'error', errno, message: text };
  }
  if (payload[0] !== 10) return { kind: 'other' };
  const versionEnd = payload.indexOf(0, 1);
  if (versionEnd < 0) return { kind: 'other' };
  // version\0, connection id (4), auth data part 1 (8), filler (1), then the lower capability
  // flags.
  const flagsAt = versionEnd + 1 + 4 + 8 + 1;
  if (payload.length < flagsAt + 2) return { kind: 'other' };
  return {
    kind: 'handshake',
    version: payload.subarray(1, versionEnd).toString('utf8'),
    supportsTls: (payload.readUInt16LE(flagsAt) & CLIENT_SSL) !== 0,
  };
}

function sslRequest(): Buffer {
  const payload = Buffer.alloc(32);
  payload.writeUInt32LE(
    CLIENT_LONG_PASSWORD |
      CLIENT_PROTOCOL_41 |
      CLIENT_SSL |
      CLIENT_SECURE_CONNECTION |
      CLIENT_PLUGIN_AUTH,
    0,
  );
  payload.writeUInt32LE(0x01000000, 4);
  payload.writeUInt8(UTF8MB4_GENERAL_CI, 8);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header.writeUInt8(1, 3);
  return Buffer.concat([header, payload]);
}

function greetingError(
  greeting: { errno: number; message: string },
  target: SourceTarget,
): ConnectFailure {
  if (greeting.errno === 1130) {
    return {
      check: 'tls',
      code: 'host_not_allowed',
      message: 'The server does not accept connections from this engine’s address.',
      hint:
        `Allow this engine’s address for "${target.connection.password_auth.username}", or ` +
        `check the provider’s network settings.`,
      field: fieldOf('mysql', 'host'),
    };
  }
  return {
    check: 'tls',
    code: 'server_refused',
    message: `The server refused the connection before signing in: ${greeting.message}.`,
  };
}
