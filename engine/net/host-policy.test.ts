import { describe, expect, test } from 'vitest';
import type { Lookup } from './host-probe';
import { classifyAddress, parseIpv4, vetHost } from './host-policy';

const noDns: Lookup = async (name) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
};
const answering =
  (table: Record<string, string[]>): Lookup =>
  async (name) => {
    const answer = table[name];
    if (!answer) return noDns(name);
    return answer;
  };
const strict = { lookup: noDns, allowPrivateHosts: false };
const lenient = { lookup: noDns, allowPrivateHosts: true };

describe('IPv4 literal forms', () => {
  test.each([
    ['127.0.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['10.1.258', '10.1.1.2'],
    ['0', '0.0.0.0'],
    ['8.8.8.8', '8.8.8.8'],
  ])('%s is %s', (text, address) => {
    expect(parseIpv4(text)).toBe(address);
  });

  test.each(['256.0.0.1', '1.2.3.4294967296', '08.0.0.1', '0x100.0.0.1', '4294967296'])(
    '%s is a malformed address',
    (text) => {
      expect(parseIpv4(text)).toBe('invalid');
    },
  );

  test('names are not addresses', () => {
    expect(parseIpv4('db.acme.example.com')).toBeNull();
    expect(parseIpv4('1.2.3.4.5')).toBeNull();
  });
});

describe('the SSRF corpus is refused when private hosts are not allowed', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:7f00:1]', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['127.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['169.254.1.1', 'link-local'],
    ['fd00::1', 'private'],
    ['fe80::1', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['198.51.100.7', 'reserved'],
  ])('%s (%s)', async (host, words) => {
    const result = await vetHost(host, strict);
    expect(result).toMatchObject({ ok: false, reason: 'forbidden_address' });
    expect(result.ok === false && result.message).toContain(words);
  });

  test('the same literals are accepted, normalised, when private hosts are allowed', async () => {
    expect(await vetHost('0177.0.0.1', lenient)).toEqual({
      ok: true,
      address: '127.0.0.1',
      family: 4,
    });
    expect(await vetHost('[::1]', lenient)).toEqual({ ok: true, address: '::1', family: 6 });
    expect(await vetHost('::ffff:127.0.0.1', lenient)).toEqual({
      ok: true,
      address: '127.0.0.1',
      family: 4,
    });
    expect(await vetHost('fd00:0:0::1', lenient)).toEqual({
      ok: true,
      address: 'fd00::1',
      family: 6,
    });
  });

  test.each([
    '169.254.169.254',
    '2852039166',
    '0xa9fea9fe',
    '::ffff:169.254.169.254',
    'fd00:ec2::254',
    '169.254.170.2',
  ])('the metadata endpoint %s is refused even when private hosts are allowed', async (host) => {
    const result = await vetHost(host, lenient);
    expect(result).toMatchObject({
      ok: false,
      reason: 'forbidden_address',
      message: expect.stringContaining('metadata'),
    });
  });

  test('public addresses pass', async () => {
    expect(await vetHost('8.8.8.8', strict)).toEqual({ ok: true, address: '8.8.8.8', family: 4 });
    expect(await vetHost('[2606:4700::1111]', strict)).toEqual({
      ok: true,
      address: '2606:4700::1111',
      family: 6,
    });
    expect(await vetHost('::ffff:8.8.8.8', strict)).toEqual({
      ok: true,
      address: '8.8.8.8',
      family: 4,
    });
  });
});

describe('garbage is invalid, not looked up', () => {
  test.each([
    '[example.com]',
    '[127.0.0.1]',
    '[::1',
    '::1]',
    'db:5432',
    'host name',
    'a..b',
    '-db.example.com',
    'http://db',
    'fe80::1%eth0',
    '',
    '1.2.3.4.5',
    '[]',
  ])('%j', async (host) => {
    let asked = false;
    const result = await vetHost(host, {
      lookup: async () => {
        asked = true;
        return ['8.8.8.8'];
      },
      allowPrivateHosts: true,
    });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_host' });
    expect(asked).toBe(false);
  });
});

describe('names', () => {
  test('an unknown name is not resolvable (the injected lookup, never DNS)', async () => {
    const result = await vetHost('db.acme.example.com', strict);
    expect(result).toMatchObject({
      ok: false,
      reason: 'not_resolvable',
      message: expect.stringContaining('db.acme.example.com'),
    });
  });

  test('a name resolving to a private address is refused without echoing the address', async () => {
    const result = await vetHost('db.internal.example', {
      lookup: answering({ 'db.internal.example': ['10.1.2.3'] }),
      allowPrivateHosts: false,
    });
    expect(result).toMatchObject({ ok: false, reason: 'forbidden_address' });
    expect(result.ok === false && result.message).not.toContain('10.1.2.3');
  });

  test('localhost is loopback', async () => {
    const result = await vetHost('localhost', {
      lookup: answering({ localhost: ['127.0.0.1', '::1'] }),
      allowPrivateHosts: false,
    });
    expect(result).toMatchObject({ ok: false, reason: 'forbidden_address' });
  });

  test('one forbidden answer among public ones refuses the name', async () => {
    const lookup = answering({ 'mixed.example': ['8.8.8.8', '127.0.0.1'] });
    expect(await vetHost('mixed.example', { lookup, allowPrivateHosts: false })).toMatchObject({
      ok: false,
      reason: 'forbidden_address',
    });
  });

  test('a mapped metadata answer is refused even when private hosts are allowed', async () => {
    const lookup = answering({ 'meta.example': ['::ffff:a9fe:a9fe'] });
    expect(await vetHost('meta.example', { lookup, allowPrivateHosts: true })).toMatchObject({
      ok: false,
      reason: 'forbidden_address',
    });
  });

  test('the vetted address is the first answer, asked once: a rebinding resolver gets no second chance', async () => {
    const answers = [['93.184.215.14'], ['127.0.0.1']];
    let calls = 0;
    const rebinding: Lookup = async () => answers[Math.min(calls++, 1)]!;
    const result = await vetHost('rebind.example', { lookup: rebinding, allowPrivateHosts: false });
    expect(result).toEqual({ ok: true, address: '93.184.215.14', family: 4 });
    expect(calls).toBe(1);
  });

  test('case and a trailing dot are normalised before the lookup', async () => {
    const seen: string[] = [];
    await vetHost('DB.Example.COM.', {
      lookup: async (name) => {
        seen.push(name);
        return ['8.8.4.4'];
      },
      allowPrivateHosts: false,
    });
    expect(seen).toEqual(['db.example.com']);
  });

  test('an answer that is not an IP is not trusted', async () => {
    const result = await vetHost('odd.example', {
      lookup: answering({ 'odd.example': ['not-an-ip'] }),
      allowPrivateHosts: true,
    });
    expect(result).toMatchObject({ ok: false, reason: 'not_resolvable' });
  });
});

test('classifyAddress covers the embedded-IPv4 forms', () => {
  expect(classifyAddress('::ffff:192.168.0.1')).toBe('private');
  expect(classifyAddress('64:ff9b::a9fe:a9fe')).toBe('metadata');
  expect(classifyAddress('2002:0a00:0001::1')).toBe('private');
  expect(classifyAddress('2001:db8::1')).toBe('reserved');
  expect(classifyAddress('2a00:1450:4001::200e')).toBe('public');
});
