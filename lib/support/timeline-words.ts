// Pure: a tenant's runs and configuration changes as the support timeline words them, instead of
// the API's event names (IMPORT_STREAM_ADD).
import type { Extract, JobError, Load } from '@/lib/prequel/contract/job';
import { errorTitle } from './error-title';

/** The objects an audit event names, by their kind in the event type. */
const NOUNS: Record<string, string> = {
  PROVIDER: 'account',
  SOURCE: 'database connection',
  DATASET: 'dataset',
  STREAM: 'stream',
  DESTINATION: 'destination',
  PRODUCT: 'product',
  DATALAKE: 'import storage',
};
const VERBS: Record<string, string> = {
  ADD: 'created',
  CREATE: 'created',
  UPDATE: 'changed',
  DELETE: 'deleted',
};
const RUN_EVENTS: Record<string, { words: string; of: 'dataset_id' | 'stream_id' }> = {
  IMPORT_EXTRACT_REQUEST: { words: 'extract requested', of: 'dataset_id' },
  IMPORT_EXTRACT_CANCEL: { words: 'extract cancelled', of: 'dataset_id' },
  IMPORT_LOAD_REQUEST: { words: 'load requested', of: 'stream_id' },
  IMPORT_LOAD_CANCEL: { words: 'load cancelled', of: 'stream_id' },
};
const SUPPORT_EVENTS: Record<string, string> = {
  SUPPORT_RECONNECT_LINK_SENT: 'reconnect link sent',
};
const JOB_STATUS: Record<Extract['status'], string> = {
  queued: 'waiting',
  running: 'running',
  succeeded: 'finished',
  failed: 'failed',
  cancelled: 'cancelled',
};

export type TimelineNames = {
  tenant: string;
  /** Dataset and stream names by id, for the runs an event names by id only. */
  objects: Map<string, string>;
};

const field = (value: unknown, key: string): string | null => {
  const found =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : null;
  return typeof found === 'string' ? found : null;
};
const named = (name: string | null) => (name ? ` (${name})` : '');
const sentence = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/** A change to a stream that only turned it on or off reads as paused or resumed. */
function streamToggle(entry: { object: unknown; previous_object: unknown }): string | null {
  const before = (entry.previous_object as { is_enabled?: unknown } | null)?.is_enabled;
  const after = (entry.object as { is_enabled?: unknown } | null)?.is_enabled;
  if (typeof before !== 'boolean' || typeof after !== 'boolean' || before === after) return null;
  return after ? 'resumed' : 'paused';
}

/** "Acme's setup: stream created (orders to Acme)", "Acme: reconnect link sent". */
export function changeTitle(
  entry: { event_type: string; object: unknown; previous_object: unknown },
  names: TimelineNames,
): string {
  const whose = `${names.tenant}'s`;
  const run = RUN_EVENTS[entry.event_type];
  if (run) {
    const id = field(entry.object, run.of);
    return `${whose} data: ${run.words}${named(id ? (names.objects.get(id) ?? null) : null)}`;
  }
  const support = SUPPORT_EVENTS[entry.event_type];
  if (support) return `${names.tenant}: ${support}`;
  const resource = /^IMPORT_([A-Z]+)_([A-Z]+)$/.exec(entry.event_type);
  const noun = resource ? NOUNS[resource[1]!] : undefined;
  const verb = resource ? VERBS[resource[2]!] : undefined;
  const name = field(entry.object, 'name') ?? field(entry.previous_object, 'name');
  if (noun && verb) {
    const toggled = noun === 'stream' && verb === 'changed' ? streamToggle(entry) : null;
    return `${whose} setup: ${noun} ${toggled ?? verb}${named(name)}`;
  }
  // An event this version has no words for: its name, spelled out.
  const spelled = entry.event_type
    .replace(/^IMPORT_/, '')
    .replaceAll('_', ' ')
    .toLowerCase();
  return `${whose} setup: ${spelled}${named(name)}`;
}

const failure = (error: JobError) =>
  `${errorTitle({ code: error.error_code, title: error.title, message: error.message })}. ` +
  error.message;

/** "Extract of customers finished" and its counts, or why it failed. */
export function extractWords(datasetName: string, extract: Extract) {
  return {
    title: sentence(`extract of ${datasetName} ${JOB_STATUS[extract.status]}`),
    detail: extract.error
      ? failure(extract.error)
      : `${extract.records_new_inserted} new, ${extract.records_existing_updated} updated, ` +
        `${extract.records_existing_deleted} deleted`,
  };
}

/** "Load of orders to Acme failed" and why, or what it delivered. */
export function loadWords(streamName: string, load: Load) {
  return {
    title: sentence(`load of ${streamName} ${JOB_STATUS[load.status]}`),
    detail: load.error
      ? failure(load.error)
      : `${load.records_loaded} delivered, ${load.records_errored} refused`,
  };
}
