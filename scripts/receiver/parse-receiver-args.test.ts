import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReceiverArgs } from './parse-receiver-args';
import { generateTestKeys, postSigned } from './testing/sign-delivery';

describe('parseReceiverArgs', () => {
  it('reads the port, the engine URL and the tolerance', () => {
    expect(
      parseReceiverArgs([
        '--port',
        '4200',
        '--engine-url',
        'http://127.0.0.1:4100',
        '--tolerance',
        '60',
      ]),
    ).toEqual({
      ok: true,
      value: {
        help: false,
        port: 4200,
        engineUrl: 'http://127.0.0.1:4100',
        publicKeyFile: undefined,
        toleranceSeconds: 60,
        downloadHosts: [],
      },
    });
    expect(
      parseReceiverArgs([
        '--public-key-file',
        'k.pem',
        '--download-host',
        'minio.local',
        '--download-host',
        '[::1]',
      ]),
    ).toMatchObject({ ok: true, value: { downloadHosts: ['minio.local', '[::1]'] } });
    expect(parseReceiverArgs(['--public-key-file', 'engine.pem'])).toMatchObject({
      ok: true,
      value: { port: 4200, publicKeyFile: 'engine.pem', toleranceSeconds: 300 },
    });
  });

  it('says what is wrong with the command line', () => {
    expect(parseReceiverArgs([])).toEqual({
      ok: false,
      error: expect.stringContaining('--engine-url'),
    });
    expect(parseReceiverArgs(['--engine-url', 'ftp://x'])).toEqual({
      ok: false,
      error: '--engine-url must be an http(s) URL',
    });
    expect(parseReceiverArgs(['--engine-url', 'http://x', '--port', '70000'])).toEqual({
      ok: false,
      error: '--port must be at most 65535',
    });
    expect(parseReceiverArgs(['--engine-url', 'http://x', '--port', '-1'])).toMatchObject({
      ok: false,
    });
    expect(
      parseReceiverArgs(['--public-key-file', 'k.pem', '--download-host', 'http://minio:9000']),
    ).toMatchObject({ ok: false, error: expect.stringContaining('without scheme or port') });
    expect(parseReceiverArgs(['--bogus'])).toMatchObject({
      ok: false,
      error: expect.stringContaining('--bogus'),
    });
    expect(parseReceiverArgs(['--help'])).toEqual({ ok: true, value: { help: true } });
  });
});

describe('npm run receiver', () => {
  it('prints its URL, receives deliveries, and stops on Ctrl-C', async () => {
    const keys = generateTestKeys();
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'inlet-receiver-cli-'));
    const keyFile = path.join(scratch, 'engine.pem');
    writeFileSync(keyFile, keys.publicKeyPem);
    const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, '--port', '0', '--public-key-file', keyFile],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]!);
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`receiver exited with ${code}: ${output}`)));
      });
      expect(
        (await postSigned(`${url}/records`, { privateKey: keys.privateKey, body: { id: '1' } }))
          .status,
      ).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
