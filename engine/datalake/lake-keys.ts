// Where things live in a datalake: cached source data under `lakehouse/`, delivery files under
// `artifacts/` (the hosted API's layout; `artifacts/` is not lifecycle-managed, the bucket owner
// expires it).
import { validateLakeKey, validateLakePrefix } from './validate-lake-key';

/**
 * Makes any id one safe key segment. Provider ids (letters, digits, `.`, `_`, `-`, never a leading
 * `.`) come out unchanged; anything else is escaped as `~XX` per UTF-8 byte, so distinct ids never
 * share a folder.
 */
export function encodeKeySegment(id: string): string {
  if (id === '') throw new Error('A datalake key segment cannot be empty.');
  let out = '';
  for (const [index, char] of [...id].entries()) {
    const passes = /^[A-Za-z0-9_-]$/.test(char) || (char === '.' && index > 0);
    out += passes
      ? char
      : [...Buffer.from(char, 'utf8')]
          .map((byte) => `~${byte.toString(16).toUpperCase().padStart(2, '0')}`)
          .join('');
  }
  return out;
}

/** Inverse of encodeKeySegment. */
export function decodeKeySegment(segment: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '~') {
      bytes.push(parseInt(segment.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(segment.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function datasetPrefix(providerId: string, datasetId: string): string {
  return validateLakePrefix(
    `lakehouse/${encodeKeySegment(providerId)}/${encodeKeySegment(datasetId)}/`,
  );
}

/** One committed chunk of an extract; `part` is zero-padded so keys sort in write order. */
export function extractPartKey(
  providerId: string,
  datasetId: string,
  extractId: string,
  part: number,
): string {
  if (!Number.isSafeInteger(part) || part < 0)
    throw new Error(`An extract part number must be a non-negative integer, not ${part}.`);
  const file = `part-${String(part).padStart(5, '0')}.parquet`;
  return validateLakeKey(
    `${datasetPrefix(providerId, datasetId)}extracts/${encodeKeySegment(extractId)}/${file}`,
  );
}

/** A compaction of a dataset's files, up to `version` (engine/extract/compact-files.ts). */
export function compactedFileKey(
  providerId: string,
  datasetId: string,
  version: number,
  compactionId: string,
): string {
  if (!Number.isSafeInteger(version) || version < 0)
    throw new Error(`A compacted file's version must be a non-negative integer, not ${version}.`);
  const file = `${String(version).padStart(10, '0')}-${encodeKeySegment(compactionId)}.parquet`;
  return validateLakeKey(`${datasetPrefix(providerId, datasetId)}compacted/${file}`);
}

/**
 * A file handed to a destination (webhook_batch csv/parquet), downloaded through a presigned URL.
 */
export function artifactKey(providerId: string, loadId: string, name: string): string {
  const segments = [providerId, loadId, name].map(encodeKeySegment);
  return validateLakeKey(`artifacts/${segments.join('/')}`);
}
