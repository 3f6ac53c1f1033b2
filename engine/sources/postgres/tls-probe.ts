// The tls check: asks the server for TLS (SSLRequest) on a fresh socket and completes the
// handshake.
import type net from 'node:net';
import { awaitAnswer } from '../await-answer';
import { tlsNotSupportedFailure } from '../connect-failures';
import { openSocket, silentServerFailure } from '../open-socket';
import type { ConnectFailure } from '../source-connect-error';
import { fieldOf, type SourceTarget } from '../source-target';
import { type TlsOutcome, upgradeToTls } from '../tls-upgrade';

const SSL_REQUEST_CODE = 80877103;

export async function probePostgresTls(target: SourceTarget): Promise<TlsOutcome> {
  const socket = await openSocket(target);
  try {
    const answer = await firstByte(socket, target);
    if (answer === null) return { ok: false, failure: silentServerFailure(target, 'tls') };
    if (answer === 'S') return await upgradeToTls(socket, target);
    return { ok: false, failure: refusal(answer, target) };
  } finally {
    socket.destroy();
  }
}

function firstByte(socket: net.Socket, target: SourceTarget): Promise<string | null> {
  return awaitAnswer<string>(socket, target.timeoutMs, (done) => {
    socket.once('data', (chunk: Buffer) => done(String.fromCharCode(chunk[0]!)));
    socket.once('error', () => done(''));
    socket.once('close', () => done(''));
    const request = Buffer.alloc(8);
    request.writeInt32BE(8, 0);
    request.writeInt32BE(SSL_REQUEST_CODE, 4);
    socket.write(request);
  });
}

function refusal(answer: string, target: SourceTarget): ConnectFailure {
  if (answer === 'N') return tlsNotSupportedFailure('postgres');
  return {
    check: 'tls',
    code: 'not_postgres',
    message:
      answer === ''
        ? `${target.host}:${target.port} closed the connection when asked for TLS.`
        : `${target.host}:${target.port} does not answer like a Postgres server.`,
    hint:
      'Check the port: it may belong to another service (MySQL listens on 3306, Postgres on ' +
      '5432).',
    field: fieldOf('postgres', 'port'),
  };
}
