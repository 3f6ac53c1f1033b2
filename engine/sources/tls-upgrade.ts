// Completes a TLS handshake over an already negotiated socket, as the drivers will: encrypted,
// certificate not verified.
import type net from 'node:net';
import tls from 'node:tls';
import type { ConnectFailure } from './source-connect-error';
import { fieldOf, serverNameOf, type SourceTarget } from './source-target';

export type TlsOutcome = { ok: true; protocol: string } | { ok: false; failure: ConnectFailure };

export function upgradeToTls(socket: net.Socket, target: SourceTarget): Promise<TlsOutcome> {
  return new Promise((resolve) => {
    const serverName = serverNameOf(target);
    const secure = tls.connect({
      socket,
      rejectUnauthorized: false,
      ...(serverName ? { servername: serverName } : {}),
    });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          failure: handshakeFailure(target, 'the server did not complete it in time'),
        }),
      target.timeoutMs,
    );
    function finish(outcome: TlsOutcome) {
      clearTimeout(timer);
      secure.destroy();
      resolve(outcome);
    }
    secure.once('secureConnect', () =>
      finish({ ok: true, protocol: secure.getProtocol() ?? 'TLS' }),
    );
    secure.once('error', (error) =>
      finish({ ok: false, failure: handshakeFailure(target, error.message) }),
    );
  });
}

function handshakeFailure(target: SourceTarget, why: string): ConnectFailure {
  return {
    check: 'tls',
    code: 'tls_failed',
    message: `The TLS handshake with ${target.host}:${target.port} failed: ${why}.`,
    hint:
      'Check the server’s TLS configuration (certificate and key files, allowed protocol ' +
      'versions).',
    field: fieldOf(target.vendor, 'port'),
  };
}
