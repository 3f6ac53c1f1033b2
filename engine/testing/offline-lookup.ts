import type { Lookup } from '../net/host-probe';

/** Tests never ask DNS: `localhost` is loopback and every other name is unknown. */
export const offlineLookup: Lookup = async (hostname) => {
  if (hostname === 'localhost') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};
