import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';

const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');

describe('.env.example', () => {
  it('sets nothing, so a copy of it as .env behaves exactly like no .env', () => {
    expect(parseEnv(example)).toEqual({});
  });

  it('lists every variable of the README’s Configuration table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('## The Import API'),
    );
    // Rows the start script fills in for the app itself say so; every other one is a setting to show.
    const rows = table
      .split('\n')
      .filter((row) => row.startsWith('| `') && !row.includes('Set by `npm start`'));
    const documented = rows.flatMap((row) =>
      [...row.split(' | ')[0]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!),
    );
    expect(documented.length).toBeGreaterThan(10);
    for (const name of documented) expect(example, name).toMatch(new RegExp(`^# ${name}=`, 'm'));
  });
});
