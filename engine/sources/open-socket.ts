// Opens a TCP connection to a vetted address, and says in plain words why one could not be opened.
import net from 'node:net';
import { type ConnectFailure, SourceConnectError } from './source-connect-error';
import { fieldOf, type SourceTarget, VENDOR_LABEL } from './source-target';

const DEFAULT_PORT = { postgres: 5432, mysql: 3306 } as const;

export function openSocket(target: SourceTarget): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.address, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SourceConnectError(networkFailure({ code: 'ETIMEDOUT' }, target)));
    }, target.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new SourceConnectError(networkFailure(error, target)));
    });
  });
}

/** Node's socket errors (ECONNREFUSED…) as a failure of the tcp check. */
export function networkFailure(
  error: { code?: string; message?: string },
  target: SourceTarget,
): ConnectFailure {
  const where = `${target.host}:${target.port}`;
  const label = VENDOR_LABEL[target.vendor];
  const seconds = target.timeoutMs / 1000;
  switch (error.code) {
    case 'ECONNREFUSED':
      return {
        check: 'tcp',
        code: 'connection_refused',
        message: `Nothing accepts connections on ${where}: the connection was refused.`,
        hint:
          `Check the port (${label} listens on ${DEFAULT_PORT[target.vendor]} unless ` +
          `configured otherwise) and that the database server is running and listening on this ` +
          `address.`,
        field: fieldOf(target.vendor, 'port'),
      };
    case 'ETIMEDOUT':
      return {
        check: 'tcp',
        code: 'connection_timeout',
        message: `${where} did not answer within ${seconds} s.`,
        hint:
          `A firewall or security group is probably dropping the connection: allow ` +
          `connections from this engine’s address to port ${target.port}. On a slow network, ` +
          `raise connection_timeout_in_seconds.`,
        field: fieldOf(target.vendor, 'host'),
      };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return {
        check: 'tcp',
        code: 'host_unreachable',
        message: `There is no network route to ${target.host}.`,
        hint:
          'Check the host: the address may belong to a private network this engine is not ' +
          'part of.',
        field: fieldOf(target.vendor, 'host'),
      };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        check: 'tcp',
        code: 'connection_reset',
        message: `${where} closed the connection as soon as it was opened.`,
        hint:
          `Check that this port belongs to ${label}, and that the server accepts connections ` +
          `from this engine’s address.`,
        field: fieldOf(target.vendor, 'port'),
      };
    default:
      return {
        check: 'tcp',
        code: 'connection_failed',
        message:
          `Could not connect to ${where} ` + `(${error.code ?? error.message ?? 'unknown error'}).`,
        field: fieldOf(target.vendor, 'host'),
      };
  }
}

/**
 * The server accepted TCP but then said nothing: typically not a database port, or a proxy stuck in
 * between.
 */
export function silentServerFailure(
  target: SourceTarget,
  check: ConnectFailure['check'],
): ConnectFailure {
  return {
    check,
    code: 'no_answer',
    message:
      `Connected to ${target.host}:${target.port}, but no ${VENDOR_LABEL[target.vendor]} ` +
      `server answered within ${target.timeoutMs / 1000} s.`,
    hint:
      `Check that this port belongs to ${VENDOR_LABEL[target.vendor]} (not a proxy or ` +
      `another service), and that the server is not overloaded.`,
    field: fieldOf(target.vendor, 'port'),
  };
}
