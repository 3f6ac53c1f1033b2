// Holds an S3-compatible endpoint to the host policy of source hosts: vetted when saved and opened,
// and every connection the S3 client makes goes to an address the policy vetted at that moment (no
// DNS rebinding).
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { type HostPolicy, vetHost } from '../net/host-policy';

/**
 * The error code a refused resolution carries through the S3 SDK (describe-s3-failure.ts turns it
 * into a sentence).
 */
export const FORBIDDEN_ENDPOINT_CODE = 'EINLET_FORBIDDEN_ADDRESS';

/** The host of an endpoint URL as the host policy reads it (brackets of IPv6 literals kept). */
export function endpointHost(endpoint: string): string | null {
  try {
    return new URL(endpoint).hostname || null;
  } catch {
    return null;
  }
}

/**
 * A refusal of the endpoint's host (invalid, loopback/private without INLET_ALLOW_PRIVATE_HOSTS,
 * metadata), or null. A name that does not resolve passes: access is proven by the first use, which
 * resolves it again.
 */
export async function endpointRefusal(
  endpoint: string,
  policy: HostPolicy,
): Promise<string | null> {
  const host = endpointHost(endpoint);
  if (!host) return `"${endpoint}" is not a valid URL.`;
  const vetted = await vetHost(host, policy);
  return vetted.ok || vetted.reason === 'not_resolvable' ? null : vetted.message;
}

function vettingLookup(policy: HostPolicy): LookupFunction {
  return (hostname, options, callback) => {
    void vetHost(hostname, policy).then((vetted) => {
      if (!vetted.ok) {
        const code = vetted.reason === 'forbidden_address' ? FORBIDDEN_ENDPOINT_CODE : 'ENOTFOUND';
        callback(Object.assign(new Error(vetted.message), { code }), '', 4);
      } else if ((options as { all?: boolean }).all) {
        (
          callback as unknown as (
            error: null,
            addresses: { address: string; family: number }[],
          ) => void
        )(null, [{ address: vetted.address, family: vetted.family }]);
      } else {
        callback(null, vetted.address, vetted.family);
      }
    });
  };
}

/** Keep-alive agents whose every new connection resolves its host through the policy. */
export function vettingAgents(policy: HostPolicy): {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
} {
  const options = { keepAlive: true, maxSockets: 50, lookup: vettingLookup(policy) };
  return { httpAgent: new http.Agent(options), httpsAgent: new https.Agent(options) };
}
