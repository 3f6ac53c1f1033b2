import { isPlainObject } from '../secrets/split-secrets';

/**
 * JSON Merge Patch (RFC 7396): objects merge recursively, null removes a key, anything else
 * replaces.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
