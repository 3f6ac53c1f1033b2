// Separates write-only secret fields from the rest of a configuration object, and puts them back.
import { SECRET_FIELD_NAMES } from '../../lib/prequel/contract/common';

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the object without secret fields, and the secrets keyed by their dotted path. */
export function splitSecrets(value: Json): { publicPart: Json; secrets: Record<string, unknown> } {
  const secrets: Record<string, unknown> = {};
  const walk = (node: Json, prefix: string): Json => {
    const out: Json = {};
    for (const [key, child] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (SECRET_FIELD_NAMES.has(key)) secrets[path] = child;
      else out[key] = isPlainObject(child) ? walk(child, path) : child;
    }
    return out;
  };
  return { publicPart: walk(value, ''), secrets };
}

/** Inverse of splitSecrets: writes each secret back at its dotted path. */
export function mergeSecrets(publicPart: Json, secrets: Record<string, unknown>): Json {
  const out = structuredClone(publicPart);
  for (const [path, secret] of Object.entries(secrets)) {
    const keys = path.split('.');
    let node: Json = out;
    for (const key of keys.slice(0, -1)) {
      if (!isPlainObject(node[key])) node[key] = {};
      node = node[key] as Json;
    }
    node[keys[keys.length - 1] as string] = secret;
  }
  return out;
}

export { isPlainObject };
