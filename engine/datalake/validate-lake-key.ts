// Guards every key that reaches a store: relative, no traversal, a character set that is the same
// file name on every file system and the same object key on every S3 implementation.
import { InvalidLakeKeyError } from './datalake-error';

const SEGMENT_CHARACTERS = /^[A-Za-z0-9._~=-]+$/;
const MAX_KEY_LENGTH = 900; // S3 allows 1024 bytes including the store's prefix; leave room for it.
const MAX_SEGMENT_LENGTH = 255; // NAME_MAX of common file systems.

function segmentProblem(segment: string): string | null {
  if (segment === '') return 'it has an empty segment ("//")';
  if (segment === '.' || segment === '..') return 'it has a "." or ".." segment';
  // Dot-names are where local stores keep temporary files; refusing them keeps those invisible.
  if (segment.startsWith('.')) return 'a segment starts with "."';
  if (!SEGMENT_CHARACTERS.test(segment)) return 'only letters, digits and . _ - ~ = are allowed';
  if (segment.length > MAX_SEGMENT_LENGTH)
    return `a segment is longer than ${MAX_SEGMENT_LENGTH} characters`;
  return null;
}

function check(value: string, segments: string[]): void {
  if (value.startsWith('/'))
    throw new InvalidLakeKeyError(value, 'it must be relative (no leading "/")');
  if (value.length > MAX_KEY_LENGTH)
    throw new InvalidLakeKeyError(value, `it is longer than ${MAX_KEY_LENGTH} characters`);
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) throw new InvalidLakeKeyError(value, problem);
  }
}

/**
 * Throws InvalidLakeKeyError unless `key` names an object:
 * `lakehouse/acme/<dataset>/part-00001.parquet`.
 */
export function validateLakeKey(key: string): string {
  if (typeof key !== 'string' || key === '')
    throw new InvalidLakeKeyError(String(key), 'it is empty');
  check(key, key.split('/'));
  return key;
}

/** A listing prefix: empty, a key prefix (`artifacts/acme/lo`), or a folder (`artifacts/acme/`). */
export function validateLakePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const segments = prefix.split('/');
  // A trailing "/" leaves one empty last segment, which is how a folder prefix is written.
  if (prefix.endsWith('/')) segments.pop();
  check(prefix, segments);
  return prefix;
}

export function isValidLakeKey(key: string): boolean {
  try {
    validateLakeKey(key);
    return true;
  } catch {
    return false;
  }
}
