// Pure: the same failure across tenants, recognised by its code and its message with the variable
// parts blanked out.
import type { JobError } from '../job';

/**
 * Variable parts of a message, replaced in this order: a URL before the host in it, an email before
 * its domain, a timestamp before its numbers, a host before a clock time.
 */
const VARIABLE_PARTS: [RegExp, string][] = [
  [/\bhttps?:\/\/[^\s"'<>)]+/gi, '<url>'],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, '<email>'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b\d{4}-\d{2}-\d{2}\b/g, '<time>'],
  // Quoted names: table, user, database, key, host ("orders", 'app_user', `db`, “x”), but not an
  // apostrophe (engine's).
  [/"[^"\n]*"|(?<!\w)'[^'\n]*'(?!\w)|`[^`\n]*`|“[^”\n]*”/g, '"<name>"'],
  [/\[[0-9a-f:]*:[0-9a-f:]+\](:\d+)?/gi, '<host>'],
  [/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<host>'],
  // Host names: two dots at least (db.eu.example.com), or a name with a letter and a port
  // (db.local:5432, mysql:3306).
  [/\b[a-z0-9-]+(\.[a-z0-9-]+){2,}(:\d+)?\b/gi, '<host>'],
  [/\b(?=[a-z0-9.-]*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)?:\d{2,5}\b/gi, '<host>'],
  // After the hosts, so a short port is not read as a clock time.
  [/\b\d{1,2}:\d{2}(:\d{2})?\b/g, '<time>'],
  // Ids: long hex runs, and tokens of 8+ characters with 3+ digits among letters (ext_8f3k2j1a,
  // req-1a2b3c4d).
  [/\b[0-9a-f]{12,}\b/gi, '<id>'],
  [/\b(?=(?:[\w-]*?\d){3})(?=[\w-]*[a-z])[\w-]{8,}\b/gi, '<id>'],
];

/**
 * Numbers go last; an HTTP status ("answered 503", "with 422", "HTTP 500") stays: a 404 and a 503
 * are different failures.
 */
const NUMBER_OR_STATUS = /\b(?:answered|with|HTTP|status)\s+[1-5]\d\d\b|\b\d+(?:[.,]\d+)*\b/gi;
const MAX_SIGNATURE = 240;

/**
 * `code: message` with the variable parts blanked out, so one failure has one signature whichever
 * tenant hit it.
 */
export function errorSignature(error: { error_code: string; message: string }): string {
  let message = error.message;
  for (const [pattern, replacement] of VARIABLE_PARTS)
    message = message.replace(pattern, replacement);
  message = message.replace(NUMBER_OR_STATUS, (match) => (/^\d/.test(match) ? '<n>' : match));
  message = message.replace(/\s+/g, ' ').trim();
  return `${error.error_code}: ${message}`.slice(0, MAX_SIGNATURE);
}

export interface ErrorGroup {
  signature: string;
  code: string;
  /** The newest message of the group, as it was. */
  example: string;
  /** The newest title of the group. */
  title: string;
  /** Each tenant once, the one that hit it last first. */
  tenants: string[];
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/**
 * The failures grouped by signature: the ones hitting the most tenants first, then the most recent.
 */
export function groupErrors(
  items: { tenantId: string; error: JobError; at: Date }[],
): ErrorGroup[] {
  const newestFirst = [...items].sort((a, b) => b.at.getTime() - a.at.getTime());
  const groups = new Map<string, ErrorGroup>();
  for (const { tenantId, error, at } of newestFirst) {
    const signature = errorSignature(error);
    const group = groups.get(signature);
    if (!group) {
      groups.set(signature, {
        signature,
        code: error.error_code,
        example: error.message,
        title: error.title,
        tenants: [tenantId],
        count: 1,
        firstSeen: at,
        lastSeen: at,
      });
      continue;
    }
    group.count++;
    group.firstSeen = at;
    if (!group.tenants.includes(tenantId)) group.tenants.push(tenantId);
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.tenants.length - a.tenants.length ||
      b.lastSeen.getTime() - a.lastSeen.getTime() ||
      a.signature.localeCompare(b.signature),
  );
}
