// The connect failures every database vendor words alike: a server without TLS, a timeout, a
// connection closed while signing in.
import { networkFailure, silentServerFailure } from './open-socket';
import type { ConnectFailure } from './source-connect-error';
import { type DatabaseVendor, fieldOf, type SourceTarget, VENDOR_LABEL } from './source-target';

/** How far a connect got: the checklist signs in only after its tcp step has connected. */
export type ConnectStage = { tcpConnected: boolean };

/** How to turn TLS on, in each server's own terms. */
const TURN_TLS_ON: Record<DatabaseVendor, string> = {
  postgres: 'Turn TLS on at the server (ssl = on).',
  mysql:
    'Turn TLS on at the server (MySQL 8 has it on by default; MariaDB needs ssl_cert and ssl_key).',
};

/** The server refuses TLS, which the source requires; `server` names it (and its version). */
export function tlsNotSupportedFailure(
  vendor: DatabaseVendor,
  server = 'The server',
): ConnectFailure {
  return {
    check: 'tls',
    code: 'tls_not_supported',
    message: `${server} does not accept TLS connections, and this source requires TLS.`,
    hint:
      `${TURN_TLS_ON[vendor]} Set disable_ssl only on a private network: without TLS the ` +
      'password and the data travel unencrypted.',
    field: fieldOf(vendor, 'disable_ssl'),
  };
}

/** A connect that timed out: a silent server once TCP had connected, else the network. */
export function connectTimeoutFailure(target: SourceTarget, stage: ConnectStage): ConnectFailure {
  return stage.tcpConnected
    ? silentServerFailure(target, 'auth')
    : networkFailure({ code: 'ETIMEDOUT' }, target);
}

/** The server hung up while the driver signed in. */
export function connectionClosedFailure(target: SourceTarget): ConnectFailure {
  return {
    check: 'auth',
    code: 'connection_closed',
    message: `${target.host}:${target.port} closed the connection while signing in.`,
    hint:
      `Check that this port belongs to ${VENDOR_LABEL[target.vendor]}, and that the server ` +
      'accepts connections from this engine’s address.',
    field: fieldOf(target.vendor, 'port'),
  };
}
