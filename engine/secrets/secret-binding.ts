// Guards stored secrets against redirection: a PATCH or a test override reuses a saved secret only
// while the endpoint it was entered for (host, bucket, URI host...) is unchanged; otherwise the
// caller must enter it again.
import type { z } from 'zod';
import { type ErrorDetail, unprocessable } from '../http/api-error';
import { parseWith } from '../http/read-input';
import { mergePatch } from '../resources/merge-patch';
import { isPlainObject, pathOfSecretKey, splitSecrets, valueAt } from './split-secrets';

type Json = Record<string, unknown>;

/** One stored secret and the endpoint it may be sent to. */
export interface SecretBinding {
  /** Where the secret sits in the configuration: `['postgres', 'password_auth', 'password']`. */
  path: string[];
  /** What a person calls it: `password`, `secret key`, `Authorization header`. */
  label: string;
  /**
   * The endpoint fields by their human name (`host`, `port`, `bucket`...); any change unbinds the
   * secret.
   */
  endpoint: Record<string, unknown>;
}

/** The secrets of a configuration (valid or not yet validated) with their endpoints. */
export type BindSecrets = (config: Json) => SecretBinding[];

export const noSecretBindings: BindSecrets = () => [];

const sameValue = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * An empty secret in a patch cannot be a new secret (secrets are never empty): it means "keep the
 * saved one", like an untouched form field.
 */
function withoutBlankSecrets(patch: Json, paths: string[][]): Json {
  let out = patch;
  for (const path of paths) {
    if (valueAt(out, path) !== '') continue;
    out = structuredClone(out);
    const parent = valueAt(out, path.slice(0, -1));
    if (isPlainObject(parent)) delete parent[path[path.length - 1]!];
  }
  return out;
}

const joinWords = (words: string[]) =>
  words.length < 2
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

/**
 * Applies a JSON merge patch to a saved configuration (with its secrets) and validates the result.
 * A saved secret the patch does not replace is kept only if its endpoint is unchanged; otherwise
 * 422 `secret_required` on the secret's field, so a changed host can never receive the old
 * password.
 */
export function patchKeepingSecretsBound<Schema extends z.ZodType>(options: {
  key: string;
  schema: Schema;
  saved: Json;
  patch: Json;
  bind: BindSecrets;
}): z.output<Schema> {
  const { key, schema, saved, bind } = options;
  const savedView = schema.safeParse(saved);
  const savedBindings = bind(
    savedView.success && isPlainObject(savedView.data) ? savedView.data : saved,
  );
  const patch = withoutBlankSecrets(
    options.patch,
    savedBindings.map((binding) => binding.path),
  );
  const candidate = parseWith(schema, mergePatch(saved, patch), [key]);
  const candidateBindings = isPlainObject(candidate) ? bind(candidate) : [];

  const problems: { binding: SecretBinding; reason: string }[] = [];
  for (const savedBinding of savedBindings) {
    const supplied = valueAt(patch, savedBinding.path) !== undefined;
    if (supplied || valueAt(candidate, savedBinding.path) === undefined) continue;
    const now = candidateBindings.find((binding) => sameValue(binding.path, savedBinding.path));
    if (!now) {
      problems.push({ binding: savedBinding, reason: 'it would no longer be stored as a secret' });
      continue;
    }
    const fields = [
      ...new Set([...Object.keys(savedBinding.endpoint), ...Object.keys(now.endpoint)]),
    ];
    const changed = fields.filter(
      (field) => !sameValue(savedBinding.endpoint[field], now.endpoint[field]),
    );
    if (changed.length)
      problems.push({ binding: savedBinding, reason: `the ${joinWords(changed)} changed` });
  }
  if (problems.length) {
    const details: ErrorDetail[] = problems.map(({ binding, reason }) => ({
      path: [key, ...binding.path].join('.'),
      message: `enter the ${binding.label} again: ${reason}`,
    }));
    const labels = [...new Set(problems.map(({ binding }) => binding.label))];
    throw unprocessable(
      'secret_required',
      `Enter the ${joinWords(labels)} again: ${problems[0]!.reason}, and a saved secret is only ` +
        `ever sent to the endpoint it was entered for.`,
      details,
    );
  }
  return candidate;
}

/**
 * For blocks the engine does not interpret (other vendors, gcs, abs): each secret field is bound to
 * every other field of its block, so no change at all goes out with the saved secret.
 */
export function opaqueBlockBindings(config: Json, blockKey: string): SecretBinding[] {
  const block = config[blockKey];
  if (!isPlainObject(block)) return [];
  const { publicPart, secrets } = splitSecrets(block);
  return Object.keys(secrets).map((storedAs) => {
    const path = pathOfSecretKey(storedAs);
    return {
      path: [blockKey, ...path],
      label: path[path.length - 1]!.replaceAll('_', ' '),
      endpoint: { [`${blockKey} settings`]: publicPart },
    };
  });
}

/**
 * Where a URL sends what goes with it: scheme, host and port, or the authority as written when a
 * template picks the host.
 */
export function urlEndpoint(url: unknown): Record<string, unknown> {
  const text = typeof url === 'string' ? url.trim() : '';
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(text);
  if (!match) return { host: text };
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!;
  if (!authority.includes('{{')) {
    try {
      const parsed = new URL(`${scheme}://${authority}`);
      return { scheme, host: parsed.hostname, port: parsed.port || null };
    } catch {
      // Not a URL: compared as written.
    }
  }
  return { scheme, host: authority.toLowerCase() };
}
