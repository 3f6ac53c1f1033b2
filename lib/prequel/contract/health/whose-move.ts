// Pure: a failed job's error in the customer's words: whose move it is, what happened, and the one
// thing to do.
import type { JobError } from '../job';
import { clockTime, humanDuration } from './human-duration';

/**
 * Who must act: the customer's database (or its DBA), the SaaS's side, the customer's own mapping,
 * or nobody.
 */
export type Party = 'your_database' | 'saas_endpoint' | 'configuration' | 'temporary';
/** The action of the status page that fixes it. */
export type MoveAction = 'update_credentials' | 'edit_mapping' | 'contact_saas' | 'wait';

export interface WhoseMoveContext {
  /** When the job runs again (the dataset's next extract, the stream's next load). */
  nextRetryAt?: Date | null;
  now: Date;
  /** The SaaS's name, as its customers know it ("Acme"); "the service" unless told. */
  saasName?: string;
  /** The zone the retry time is written in; UTC unless told (the browser passes its own). */
  timeZone?: string;
}

export interface WhoseMove {
  party: Party;
  title: string;
  fix: string;
  /** The next attempt, when the failure is one that goes away by itself and the time is known. */
  retryAt?: Date;
  /** The next attempt may succeed with nobody acting. */
  retryable: boolean;
}

type Names = { saas: string; Saas: string };
type Words = {
  party: Party;
  title: string | ((names: Names, message: string) => string);
  /** `retry` is "at 14:05 (in 5 min)", "shortly" or "with the next run". */
  fix: string | ((names: Names, retry: string) => string);
  retryable?: boolean;
};

function namesOf(saasName: string | undefined): Names {
  const saas = saasName?.trim() || 'the service';
  return { saas, Saas: saas.charAt(0).toUpperCase() + saas.slice(1) };
}

const waitFix = (_: Names, retry: string) => `Nothing to do: it retries by itself ${retry}.`;
const askDba = (what: string) => `Ask your DBA to ${what}, then sync again.`;

const CREDENTIALS: Words = {
  party: 'your_database',
  title: 'Your database refused the password',
  fix: 'Update the credentials with the current user name and password.',
};
const PRIVILEGES: Words = {
  party: 'your_database',
  title: 'The database user may not read the data',
  fix: askDba('grant SELECT on the chosen tables to the import user'),
};
const SCHEMA_CHANGED: Words = {
  party: 'your_database',
  title: 'A table or column is missing from your database',
  fix: 'Restore it in your database, or choose the data again without it.',
};
const UNREACHABLE: Words = {
  party: 'your_database',
  title: 'Your database is unreachable',
  fix:
    'Check that your database is running and that its firewall allows our IP address, then ' +
    'update the connection settings if the host or port changed.',
};
const TLS_FAILED: Words = {
  party: 'your_database',
  title: 'The secure connection to your database failed',
  fix:
    'Check that the port in the connection settings belongs to your database and that its SSL ' +
    'certificate is valid.',
};
const NOT_A_DATABASE = (vendor: string): Words => ({
  party: 'your_database',
  title: `That port does not answer like ${vendor}`,
  fix: `Update the connection settings with the port ${vendor} listens on.`,
});
const SAAS_STORAGE: Words = {
  party: 'saas_endpoint',
  title: ({ Saas }) => `${Saas}'s import storage refused the data`,
  fix: ({ saas }) =>
    `Contact ${saas}: the storage their import uses needs attention. Your data and settings are ` +
    `fine.`,
};
const STORAGE_HICCUP: Words = {
  party: 'temporary',
  title: 'Saving the imported data failed for a moment',
  fix: waitFix,
  retryable: true,
};
const ENDPOINT_GONE: Words = {
  party: 'saas_endpoint',
  title: ({ Saas }) => `${Saas}'s endpoint is gone, so the stream was paused`,
  fix: ({ saas }) =>
    `Contact ${saas}. Once their endpoint is back, enable the stream again: it then delivers ` +
    `what it missed.`,
};
/**
 * A request the engine gave up waiting for ("the request timed out"), as opposed to an answer it
 * did not like.
 */
const TIMED_OUT = /\btimed? ?out\b|\btimeout\b/i;
/** The deadline, when the message names it: "did not answer within 5 s". */
const DEADLINE = /\bwithin (\d+(?:\.\d+)?) ?s(?:econds?)?\b/i;
/**
 * A timeout is the endpoint's slowness, not a refusal: it reads apart from a 500, naming the
 * deadline when told it.
 */
const ENDPOINT_TOO_SLOW: Words = {
  party: 'saas_endpoint',
  title: ({ Saas }, message) => {
    const seconds = DEADLINE.exec(message)?.[1];
    return seconds
      ? `${Saas}'s endpoint took longer than ${seconds} s to answer`
      : `${Saas}'s endpoint took too long to answer`;
  },
  fix: ({ saas }, retry) =>
    `Nothing to do: the records are sent again ${retry}. If it keeps timing out, contact ` +
    `${saas}: their endpoint must answer sooner.`,
  retryable: true,
};
const MAPPING: Words = {
  party: 'configuration',
  title: 'The mapping needs a change',
  fix: 'Edit the mapping: the fields to fix are listed below.',
};

/**
 * Words for every error code our engine raises (and the source checklist's codes, which extracts
 * pass on).
 */
const WORDS: Record<string, Words> = {
  // Signing in to the customer's database.
  auth_failed: CREDENTIALS,
  source_auth_failed: CREDENTIALS,
  unknown_user: {
    party: 'your_database',
    title: 'Your database has no such user',
    fix: 'Update the credentials with a user that exists, or ask your DBA to create it.',
  },
  login_not_permitted: {
    party: 'your_database',
    title: 'The database user may not sign in',
    fix: askDba('allow the import user to log in (ALTER ROLE … LOGIN)'),
  },
  auth_method_not_supported: {
    party: 'your_database',
    title: 'Your database asks for a sign-in method we cannot use',
    fix: askDba(
      'let the import user sign in with a password (mysql_native_password or ' +
        'caching_sha2_password)',
    ),
  },
  database_not_found: {
    party: 'your_database',
    title: 'Your database server has no database by that name',
    fix: 'Update the connection settings with the right database name.',
  },
  database_access_denied: {
    party: 'your_database',
    title: 'The database user may not open the database',
    fix: askDba('grant the import user access to the database'),
  },
  host_not_allowed: {
    party: 'your_database',
    title: 'Your database does not accept connections from us',
    fix: askDba('allow the import user to connect from our IP address'),
  },
  tls_required: {
    party: 'your_database',
    title: 'Your database requires an encrypted connection',
    fix: 'Update the connection settings: turn SSL on.',
  },
  connection_closed: {
    party: 'your_database',
    title: 'Your database closed the connection while signing in',
    fix:
      'Check the port in the connection settings, and that your database accepts connections ' +
      'from our IP address.',
  },
  // Privileges and what the dataset reads.
  missing_privileges: PRIVILEGES,
  source_permission_denied: PRIVILEGES,
  schema_not_found: {
    party: 'your_database',
    title: 'The schema is missing from your database',
    fix:
      'Update the connection settings with a schema that exists, or ask your DBA to grant ' +
      'USAGE on it.',
  },
  source_schema_changed: SCHEMA_CHANGED,
  table_not_found: SCHEMA_CHANGED,
  source_query_timeout: {
    party: 'your_database',
    title: 'Reading your database took too long',
    fix: askDba('add an index on the columns the import reads by, or raise the statement timeout'),
  },
  source_read_failed: {
    party: 'your_database',
    title: 'Reading your database failed',
    fix: 'Check the error below with your DBA, then sync again.',
  },
  vendor_not_supported: {
    party: 'your_database',
    title: 'This kind of database cannot be imported yet',
    fix: 'Connect a Postgres or MySQL database instead.',
  },
  // Finding and reaching the database.
  not_resolvable: {
    party: 'your_database',
    title: "Your database's host name does not resolve",
    fix:
      'Update the connection settings: check the spelling of the host name, and that it is a ' +
      'public name.',
  },
  invalid_host: {
    party: 'your_database',
    title: 'The host name is not valid',
    fix:
      'Update the connection settings with only the host name or IP address, e.g. ' +
      'db.example.com.',
  },
  forbidden_address: {
    party: 'your_database',
    title: 'The database address is a private one',
    fix: "Update the connection settings with your database's public address.",
  },
  ssh_tunnel_not_supported: {
    party: 'your_database',
    title: 'SSH tunnels are not supported yet',
    fix:
      'Update the connection settings to connect directly, and allow our IP address in your ' +
      'firewall.',
  },
  source_unreachable: UNREACHABLE,
  connection_refused: {
    party: 'your_database',
    title: 'Your database refused the connection',
    fix: 'Check that your database is running and listens on the port in the connection settings.',
  },
  connection_timeout: {
    party: 'your_database',
    title: 'Your database did not answer',
    fix: 'Allow connections from our IP address in your firewall or security group.',
  },
  host_unreachable: {
    party: 'your_database',
    title: 'Your database cannot be reached from the internet',
    fix:
      "Update the connection settings with your database's public address, and allow our IP " +
      'address.',
  },
  connection_reset: {
    party: 'your_database',
    title: 'Your database closed the connection at once',
    fix:
      'Check that the port in the connection settings belongs to your database, and that it ' +
      'accepts our IP address.',
  },
  connection_failed: UNREACHABLE,
  no_answer: {
    party: 'your_database',
    title: 'Nothing answered like a database on that port',
    fix:
      'Update the connection settings with the port your database listens on (not a proxy or ' +
      'another service).',
  },
  server_refused: {
    party: 'your_database',
    title: 'Your database refused the connection',
    fix: 'Check that your database accepts connections from our IP address.',
  },
  not_postgres: NOT_A_DATABASE('Postgres'),
  not_mysql: NOT_A_DATABASE('MySQL'),
  tls_not_supported: {
    party: 'your_database',
    title: 'Your database does not offer an encrypted connection',
    fix: askDba(
      'turn SSL on at the database server (turn SSL off in the connection settings only on a ' +
        'private network)',
    ),
  },
  tls_failed: TLS_FAILED,
  // Goes away by itself.
  too_many_connections: {
    party: 'temporary',
    title: 'Your database had no free connections',
    fix: waitFix,
    retryable: true,
  },
  server_unavailable: {
    party: 'temporary',
    title: 'Your database was restarting',
    fix: waitFix,
    retryable: true,
  },
  source_connection_lost: {
    party: 'temporary',
    title: 'The connection to your database dropped',
    fix: (_, retry) => `Nothing to do: it retries ${retry} and resumes where it stopped.`,
    retryable: true,
  },
  engine_error: {
    party: 'temporary',
    title: 'The import hit a problem on our side',
    fix: waitFix,
    retryable: true,
  },
  dataset_deleted: {
    party: 'temporary',
    title: 'The dataset was deleted',
    fix: 'Nothing to do: this dataset no longer exists.',
  },
  datalake_unavailable: STORAGE_HICCUP,
  datalake_unreachable: STORAGE_HICCUP,
  datalake_download_incomplete: STORAGE_HICCUP,
  datalake_request_failed: STORAGE_HICCUP,
  // The SaaS's side: its endpoint, and the storage its import uses.
  destination_unavailable: {
    party: 'saas_endpoint',
    title: ({ Saas }, message) => `${Saas}'s endpoint is failing${detailOf(message)}`,
    fix: ({ saas }, retry) =>
      `Nothing to do: the records are sent again ${retry}. If it keeps failing, contact ${saas}.`,
    retryable: true,
  },
  destination_rejected: {
    party: 'saas_endpoint',
    title: ({ Saas }, message) => `${Saas}'s endpoint rejected some records${detailOf(message)}`,
    fix: ({ saas }) => `Contact ${saas} with the error below.`,
  },
  destination_gone: ENDPOINT_GONE,
  stream_disabled: ENDPOINT_GONE,
  datalake_write_failed: SAAS_STORAGE,
  datalake_bucket_not_found: SAAS_STORAGE,
  datalake_credentials_rejected: SAAS_STORAGE,
  datalake_no_credentials: SAAS_STORAGE,
  datalake_wrong_region: SAAS_STORAGE,
  datalake_access_denied: SAAS_STORAGE,
  datalake_delete_failed: SAAS_STORAGE,
  datalake_not_found: SAAS_STORAGE,
  datalake_invalid: SAAS_STORAGE,
  datalake_not_supported: SAAS_STORAGE,
  datalake_object_not_found: SAAS_STORAGE,
  datalake_path_outside_data_dir: SAAS_STORAGE,
  datalake_host_not_allowed: SAAS_STORAGE,
  artifact_url_unavailable: SAAS_STORAGE,
  invalid_lake_key: SAAS_STORAGE,
  provider_not_found: SAAS_STORAGE,
  // The customer's own setup: the mapping and the dataset's query.
  invalid_stream: MAPPING,
  expression_too_slow: {
    party: 'configuration',
    title: 'An expression is too slow',
    fix:
      'Edit the mapping: simplify the expression it names, then sync again. Nothing was lost; ' +
      'the records wait for the next load.',
  },
  transform_error: {
    party: 'configuration',
    title: 'A record could not be transformed',
    fix: 'Edit the mapping: an expression failed on this record.',
  },
  schema_error: {
    party: 'configuration',
    title: ({ Saas }) => `A record does not match ${Saas}'s format`,
    fix: 'Edit the mapping so every field gets a valid value.',
  },
  invalid_query: {
    party: 'configuration',
    title: "The dataset's SQL query failed",
    fix: 'Fix the SQL query of the dataset.',
  },
  query_timeout: {
    party: 'configuration',
    title: "The dataset's SQL query took too long",
    fix: 'Simplify the SQL query of the dataset, or ask your DBA to add an index it can use.',
  },
  method_not_supported: {
    party: 'configuration',
    title: 'SQL datasets cannot be read from MySQL yet',
    fix: 'Choose a table instead of a SQL query.',
  },
};

/** Error codes with words of their own; any other code is described by its blame alone. */
export const KNOWN_ERROR_CODES: ReadonlySet<string> = new Set(Object.keys(WORDS));

/**
 * Blames that name someone who must act; a code without words of its own and any other blame
 * (`engine`, or one the hosted API adds) passes by itself.
 */
export const BLAMES_WITH_A_MOVE: readonly string[] = ['source', 'destination', 'configuration'];

/**
 * Codes whose failure passes by itself (a retry, our side), for the engine's SQL to apply the same
 * rule as `passesByItself`.
 */
export const TEMPORARY_ERROR_CODES: readonly string[] = Object.entries(WORDS)
  .filter(([, words]) => words.party === 'temporary')
  .map(([code]) => code);

/**
 * Whether a failure goes away with nobody acting (`whoseMove(...).party === 'temporary'`), from its
 * code and blame alone.
 */
export function passesByItself(error: Pick<JobError, 'error_code' | 'blame'> | null): boolean {
  if (error === null) return true;
  if (KNOWN_ERROR_CODES.has(error.error_code))
    return TEMPORARY_ERROR_CODES.includes(error.error_code);
  return !BLAMES_WITH_A_MOVE.includes(error.blame);
}

/** An endpoint failure that may pass: 5xx, 408, 429, a timeout or a dropped connection. */
const PASSING_ENDPOINT_FAILURE =
  /\b(5\d\d|408|429)\b|timed? ?out|timeout|unavailable|connection (failed|reset|refused)/i;

/**
 * What the hosted API (or a newer engine) says with a code we have no words for: judged by who it
 * blames.
 */
function byBlame(error: JobError): Words {
  switch (error.blame) {
    case 'source':
      return {
        party: 'your_database',
        title: 'Your database reported a problem',
        fix: 'Check the error below with your DBA, then update the credentials if they changed.',
      };
    case 'destination':
      if (TIMED_OUT.test(error.message)) return ENDPOINT_TOO_SLOW;
      return PASSING_ENDPOINT_FAILURE.test(error.message)
        ? WORDS.destination_unavailable!
        : {
            party: 'saas_endpoint',
            title: ({ Saas }) => `${Saas}'s endpoint reported a problem`,
            fix: ({ saas }) => `Contact ${saas} with the error below.`,
          };
    case 'configuration':
      return MAPPING;
    default:
      return {
        party: 'temporary',
        title: 'The import hit a problem',
        fix: waitFix,
        retryable: true,
      };
  }
}

/**
 * The HTTP status or the kind of failure the engine's message names, for the title: " (HTTP 503)".
 */
function detailOf(message: string): string {
  const status = /\b(?:answered|with|HTTP)\s+([1-5]\d\d)\b/.exec(message)?.[1];
  if (status) return ` (HTTP ${status})`;
  if (/TLS certificate/i.test(message)) return ' (its TLS certificate was refused)';
  if (/TLS handshake/i.test(message)) return ' (the TLS handshake failed)';
  return '';
}

function retryWords(context: WhoseMoveContext): string {
  const at = context.nextRetryAt;
  if (!at) return 'with the next run';
  const inMs = at.getTime() - context.now.getTime();
  if (inMs <= 0) return 'shortly';
  return `at ${clockTime(at, context.now, context.timeZone)} (in ${humanDuration(inMs)})`;
}

/**
 * The words for an error: its code's, a timeout's apart from other unavailable endpoints, else by
 * its blame.
 */
function wordsFor(error: JobError): Words {
  if (error.error_code === 'destination_unavailable' && TIMED_OUT.test(error.message))
    return ENDPOINT_TOO_SLOW;
  return WORDS[error.error_code] ?? byBlame(error);
}

const NO_ERROR: Words = {
  party: 'temporary',
  title: 'The run stopped before it finished',
  fix: waitFix,
  retryable: true,
};

/**
 * Who must act on a failed job, in the customer's words; `null` is a failure that carries no error
 * (it retries).
 */
export function whoseMove(error: JobError | null, context: WhoseMoveContext): WhoseMove {
  const names = namesOf(context.saasName);
  const words = error === null ? NO_ERROR : wordsFor(error);
  const retryable = words.retryable === true;
  const title =
    typeof words.title === 'string' ? words.title : words.title(names, error?.message ?? '');
  const fix = typeof words.fix === 'string' ? words.fix : words.fix(names, retryWords(context));
  const retryAt = retryable && context.nextRetryAt ? context.nextRetryAt : undefined;
  return { party: words.party, title, fix, retryable, ...(retryAt ? { retryAt } : {}) };
}

const ACTIONS: Record<Party, MoveAction> = {
  your_database: 'update_credentials',
  configuration: 'edit_mapping',
  saas_endpoint: 'contact_saas',
  temporary: 'wait',
};

/** The status page's action that fixes what the party must fix. */
export function actionFor(party: Party): MoveAction {
  return ACTIONS[party];
}

/**
 * The badge that says whose move it is: "Your database", "Acme's endpoint", "Mapping", "Temporary".
 */
export function partyLabel(party: Party, saasName?: string): string {
  switch (party) {
    case 'your_database':
      return 'Your database';
    case 'saas_endpoint':
      return `${namesOf(saasName).Saas}'s endpoint`;
    case 'configuration':
      return 'Mapping';
    case 'temporary':
      return 'Temporary';
  }
}
