// Local servers that misbehave the way remote ones do: silent after accepting, or speaking TLS for
// a real Postgres.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

/** Accepts TCP connections and never sends a byte (a firewall-proxied port, a hung server). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A throwaway self-signed certificate (never committed: made by openssl for the test run). */
export function selfSignedCertificate(commonName: string): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'inlet-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${commonName}`,
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A Postgres front that accepts TLS (answers 'S' to SSLRequest), terminates it, and relays the
 * decrypted protocol to a real Postgres: lets tests exercise the TLS path against a server that has
 * no TLS. Records the SNI names it saw.
 */
export async function startPostgresTlsFront(
  upstream: { host: string; port: number },
  certificate: { key: string; cert: string },
) {
  const serverNames: string[] = [];
  const sockets = new Set<net.Socket>();
  const context = tls.createSecureContext(certificate);
  const server = net.createServer((raw) => {
    sockets.add(raw);
    raw.on('error', () => {});
    raw.once('data', (first: Buffer) => {
      if (first.length < 8 || first.readInt32BE(4) !== 80877103) return raw.destroy();
      raw.write('S');
      const secure = new tls.TLSSocket(raw, {
        isServer: true,
        secureContext: context,
        // Called with the ClientHello's server name; a client that sends none is not recorded.
        SNICallback: (serverName, done) => {
          serverNames.push(serverName);
          done(null, context);
        },
      });
      secure.on('error', () => raw.destroy());
      const relay = net.connect(upstream);
      sockets.add(relay);
      relay.on('error', () => secure.destroy());
      secure.pipe(relay).pipe(secure);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    serverNames,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A Postgres impostor that asks every client for its password in clear
 * (AuthenticationCleartextPassword) and keeps what it receives: the server an attacker would point
 * a saved source at to harvest its password.
 */
export async function startPasswordCatcher(): Promise<{
  port: number;
  passwords: string[];
  connections: number;
  close(): Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const state = { passwords: [] as string[], connections: 0 };
  const message = (type: string, body: Buffer) => {
    const header = Buffer.alloc(5);
    header.write(type, 0, 'latin1');
    header.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([header, body]);
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    state.connections += 1;
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffered = Buffer.alloc(0);
    let started = false;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (!started) {
          if (buffered.length < 8) return;
          const length = buffered.readInt32BE(0);
          if (buffered.length < length) return;
          const code = buffered.readInt32BE(4);
          buffered = buffered.subarray(length);
          // SSLRequest or GSSENCRequest: no encryption here, so the client carries on in clear.
          if (code === 80877103 || code === 80877104) {
            socket.write('N');
            continue;
          }
          started = true;
          const authenticationCleartextPassword = Buffer.alloc(4);
          authenticationCleartextPassword.writeInt32BE(3);
          socket.write(message('R', authenticationCleartextPassword));
          continue;
        }
        if (buffered.length < 5) return;
        const length = buffered.readInt32BE(1);
        if (buffered.length < length + 1) return;
        const type = String.fromCharCode(buffered[0]!);
        const body = buffered.subarray(5, length + 1);
        buffered = buffered.subarray(length + 1);
        if (type === 'p') {
          state.passwords.push(body.subarray(0, body.indexOf(0)).toString('utf8'));
          socket.end(
            message(
              'E',
              Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed\0\0', 'latin1'),
            ),
          );
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get passwords() {
      return state.passwords;
    },
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
