// Separates write-only secret fields from the rest of a configuration object, and puts them back.
import { SECRET_FIELD_NAMES } from '../../lib/prequel/contract/common';

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The key a secret is stored under: its dotted path, or the path as a JSON array when a segment
 * holds a dot (HTTP header names may), so that every stored key reads back to exactly one path.
 */
export function secretKeyOf(path: readonly string[]): string {
  return path.some((segment) => segment.includes('.') || segment.startsWith('['))
    ? JSON.stringify(path)
    : path.join('.');
}

export function pathOfSecretKey(key: string): string[] {
  return key.startsWith('[') ? (JSON.parse(key) as string[]) : key.split('.');
}

/**
 * Returns the object without secret fields, and the secrets keyed by their path (secretKeyOf).
 * Secret fields are those named in SECRET_FIELD_NAMES, plus the values at `extraPaths` (e.g. a
 * destination's credential headers).
 */
export function splitSecrets(
  value: Json,
  extraPaths: readonly (readonly string[])[] = [],
): { publicPart: Json; secrets: Record<string, unknown> } {
  const secrets: Record<string, unknown> = {};
  const extra = new Set(extraPaths.map((path) => secretKeyOf(path)));
  const walk = (node: Json, prefix: string[]): Json => {
    const out: Json = {};
    for (const [key, child] of Object.entries(node)) {
      const path = [...prefix, key];
      const storedAs = secretKeyOf(path);
      if (SECRET_FIELD_NAMES.has(key) || extra.has(storedAs)) secrets[storedAs] = child;
      else out[key] = isPlainObject(child) ? walk(child, path) : child;
    }
    return out;
  };
  return { publicPart: walk(value, []), secrets };
}

/** Inverse of splitSecrets: writes each secret back at its path. */
export function mergeSecrets(publicPart: Json, secrets: Record<string, unknown>): Json {
  const out = structuredClone(publicPart);
  for (const [storedAs, secret] of Object.entries(secrets)) {
    const keys = pathOfSecretKey(storedAs);
    let node: Json = out;
    for (const key of keys.slice(0, -1)) {
      if (!isPlainObject(node[key])) node[key] = {};
      node = node[key] as Json;
    }
    node[keys[keys.length - 1] as string] = secret;
  }
  return out;
}

/** The value at a path of nested objects, or undefined. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const key of path) {
    if (!isPlainObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

export { isPlainObject };
