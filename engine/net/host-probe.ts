// Checks that a host name resolves and accepts TCP connections; the resolver is injectable so tests
// never ask DNS.
import { promises as dns } from 'node:dns';
import net from 'node:net';

export type Lookup = (hostname: string) => Promise<string[]>;

export type ProbeResult =
  { ok: true; address: string } | { ok: false; reason: 'dns' | 'tcp' | 'timeout'; message: string };

export type HostProbe = (host: string, port: number, timeoutMs?: number) => Promise<ProbeResult>;

export const systemLookup: Lookup = async (hostname) =>
  (await dns.lookup(hostname, { all: true })).map((entry) => entry.address);

export function createHostProbe(lookup: Lookup): HostProbe {
  return async (host, port, timeoutMs = 3000) => {
    const bare = host.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = net.isIP(bare) ? [bare] : await lookup(bare);
    } catch {
      addresses = [];
    }
    const address = addresses[0];
    if (!address)
      return { ok: false, reason: 'dns', message: `the name "${host}" does not resolve` };
    return new Promise((resolve) => {
      const socket = net.connect({ host: address, port });
      const finish = (result: ProbeResult) => {
        socket.destroy();
        resolve(result);
      };
      socket.setTimeout(timeoutMs, () =>
        finish({
          ok: false,
          reason: 'timeout',
          message: `${host}:${port} did not answer within ${timeoutMs} ms`,
        }),
      );
      socket.once('connect', () => finish({ ok: true, address }));
      socket.once('error', (error: NodeJS.ErrnoException) =>
        finish({
          ok: false,
          reason: 'tcp',
          message: `${host}:${port} refused the connection (${error.code ?? error.message})`,
        }),
      );
    });
  };
}
