import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openDatalakeFor } from '../datalake/open-datalake-for';
import { createHostProbe, type Lookup } from '../net/host-probe';
import { create, recordDestination } from '../testing/fixtures';
import { startTestEngine, type TestEngine } from '../testing/test-engine';

// Issue 15 §3: destination probes and S3-compatible endpoints pass the host policy of source hosts. The resolver is
// a table: no test here asks DNS or connects anywhere but loopback.
const asked: string[] = [];
const answers: Record<string, string[]> = {
  'internal.example': ['10.1.2.3'],
  'metadata.example': ['169.254.169.254'],
};
let rebindingCalls = 0;
const tableLookup: Lookup = async (name) => {
  asked.push(name);
  // Public once (vetted when opened, never connected to), loopback on every later lookup.
  if (name === 'rebinding.example') return rebindingCalls++ === 0 ? ['8.8.8.8'] : ['127.0.0.1'];
  const answer = answers[name];
  if (!answer)
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return answer;
};

let strict: TestEngine;
let lenient: TestEngine;
let listener: net.Server;
let listenerPort: number;
let connections = 0;

beforeAll(async () => {
  [strict, lenient] = await Promise.all([
    startTestEngine({
      context: {
        allowPrivateHosts: false,
        lookup: tableLookup,
        probeHost: createHostProbe(tableLookup),
      },
    }),
    startTestEngine(),
  ]);
  listener = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  listenerPort = (listener.address() as net.AddressInfo).port;
});
afterAll(async () => {
  listener.close();
  await Promise.all([strict?.close(), lenient?.close()]);
});

type ErrorBody = {
  message: string;
  error: { code: string; details: { path: string; message: string }[] };
};

const destinationTo = (uri: string) => {
  const body = recordDestination();
  body.destination.webhook_record.request_template.uri = uri;
  return body;
};
const uriPath = 'destination.webhook_record.request_template.uri';

describe('the destination reachability probe', () => {
  test.each([
    [`http://127.0.0.1:${0}/records`, 'loopback'],
    ['http://[::1]:8080/records', 'loopback'],
    ['http://0x7f000001:8080/records', 'loopback'],
    ['http://internal.example/records', 'private-network'],
    ['http://169.254.169.254/latest/meta-data', 'metadata'],
    ['http://metadata.example/latest', 'metadata'],
  ])('refuses %s (%s) with a 422 on the URI, connecting to nothing', async (uri, words) => {
    const before = connections;
    const target = uri.replace(':0/', `:${listenerPort}/`);
    const response = await strict.request<ErrorBody>(
      'POST',
      '/import/destinations',
      destinationTo(target),
    );
    expect(response.status, response.text).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'forbidden_address',
      details: [{ path: uriPath, message: expect.stringContaining(words) }],
    });
    expect(response.body.message).toMatch(/^The destination's host is not allowed/);
    expect(response.text).not.toContain('10.1.2.3');
    expect(connections).toBe(before);
  });

  test('skip_validation resolves nothing, but an address literal is still judged', async () => {
    const skipped = await strict.request(
      'POST',
      '/import/destinations?skip_validation=true',
      destinationTo('http://unlisted.example/records'),
    );
    expect(skipped.status, skipped.text).toBe(200);
    expect(asked).not.toContain('unlisted.example');
    const literal = await strict.request<ErrorBody>(
      'POST',
      '/import/destinations?skip_validation=true',
      destinationTo(`http://127.0.0.1:${listenerPort}/records`),
    );
    expect(literal.body.error).toMatchObject({
      code: 'forbidden_address',
      details: [{ path: uriPath }],
    });
  });

  test('a PATCH to a forbidden host is refused like a create', async () => {
    const created = await create(
      strict,
      '/import/destinations',
      destinationTo('http://unlisted.example/records'),
      'destination',
      '?skip_validation=true',
    );
    const moved = await strict.request<ErrorBody>('PATCH', `/import/destinations/${created.id}`, {
      destination: { webhook_record: { request_template: { uri: 'http://internal.example/r' } } },
    });
    expect(moved.body.error).toMatchObject({
      code: 'forbidden_address',
      details: [{ path: uriPath }],
    });
  });

  test('with private hosts allowed loopback passes, the metadata address never does', async () => {
    expect(
      (
        await lenient.request(
          'POST',
          '/import/destinations',
          destinationTo(`http://localhost:${listenerPort}/records`),
        )
      ).status,
    ).toBe(200);
    for (const query of ['', '?skip_validation=true']) {
      const response = await lenient.request<ErrorBody>(
        'POST',
        `/import/destinations${query}`,
        destinationTo('http://169.254.169.254/latest'),
      );
      expect(response.body.error).toMatchObject({
        code: 'forbidden_address',
        details: [{ path: uriPath, message: expect.stringContaining('metadata') }],
      });
    }
  });
});

const compatibleLake = (endpoint: string) => ({
  datalake: {
    name: 'minio',
    storage: 's3_compatible',
    s3_compatible: { endpoint, bucket_name: 'lake', access_id: 'AKID', secret_key: 'lake-secret' },
  },
});
const endpointPath = 'datalake.s3_compatible.endpoint';

describe('S3-compatible datalake endpoints', () => {
  test.each([
    ['http://127.0.0.1:9000', '', 'loopback'],
    ['http://127.0.0.1:9000', '?skip_validation=true', 'loopback'],
    ['http://internal.example:9000', '', 'private-network'],
    ['http://169.254.169.254', '', 'metadata'],
  ])('refuses %s%s (%s) with a 422 on the endpoint', async (endpoint, query, words) => {
    const response = await strict.request<ErrorBody>(
      'POST',
      `/import/datalakes${query}`,
      compatibleLake(endpoint),
    );
    expect(response.status, response.text).toBe(422);
    expect(response.body.error).toMatchObject({
      code: 'forbidden_address',
      details: [{ path: endpointPath, message: expect.stringContaining(words) }],
    });
  });

  test('a name that does not resolve yet is accepted: access is proven by the first use', async () => {
    expect(
      (
        await strict.request(
          'POST',
          '/import/datalakes',
          compatibleLake('https://lake.unlisted.example'),
        )
      ).status,
    ).toBe(200);
  });

  test('the metadata address is refused even with private hosts allowed', async () => {
    const response = await lenient.request<ErrorBody>(
      'POST',
      '/import/datalakes',
      compatibleLake('http://[::ffff:169.254.169.254]'),
    );
    expect(response.body.error).toMatchObject({
      code: 'forbidden_address',
      details: [{ path: endpointPath, message: expect.stringContaining('metadata') }],
    });
  });

  test('a saved endpoint that now resolves to a private address is refused when opened', async () => {
    const lake = await create(
      strict,
      '/import/datalakes',
      compatibleLake('http://internal.example:9000'),
      'datalake',
      '?skip_validation=true',
    );
    await expect(openDatalakeFor(strict.engine, lake.id)).rejects.toMatchObject({
      code: 'datalake_host_not_allowed',
      message: expect.stringContaining('private-network'),
    });
  });

  test('every connection of the S3 client is vetted: a name rebinding to loopback after the first check is refused', async () => {
    const lake = await create(
      strict,
      '/import/datalakes',
      compatibleLake(`http://rebinding.example:${listenerPort}`),
      'datalake',
      '?skip_validation=true',
    );
    const store = await openDatalakeFor(strict.engine, lake.id);
    const before = connections;
    await expect(store.getBytes('probe.txt')).rejects.toMatchObject({
      code: 'datalake_host_not_allowed',
      message: expect.stringContaining('loopback'),
    });
    expect(rebindingCalls).toBeGreaterThan(1);
    expect(connections).toBe(before);
  });
});
