import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { at, jobError, NOW } from './fixtures.test-helpers';
import {
  actionFor,
  KNOWN_ERROR_CODES,
  partyLabel,
  type Party,
  passesByItself,
  whoseMove,
} from './whose-move';

const context = { now: NOW, saasName: 'Acme' };

describe('whoseMove tells the customer whose move it is', () => {
  test('a refused password is the database’s, fixed by updating the credentials', () => {
    const move = whoseMove(
      jobError(
        'source_auth_failed',
        'source',
        'The database refused the username or password. Update the credentials of the source.',
      ),
      context,
    );
    expect(move).toEqual({
      party: 'your_database',
      title: 'Your database refused the password',
      fix: 'Update the credentials with the current user name and password.',
      retryable: false,
    });
    expect(actionFor(move.party)).toBe('update_credentials');
  });

  test('a failing endpoint names the SaaS, its HTTP status, and when the records are sent again', () => {
    const error = jobError(
      'destination_unavailable',
      'destination',
      '3 record(s) not delivered: the endpoint answered 503. They will be retried by the next load.',
    );
    const move = whoseMove(error, { ...context, nextRetryAt: at(-5) });
    expect(move.party).toBe('saas_endpoint');
    expect(move.title).toBe("Acme's endpoint is failing (HTTP 503)");
    expect(move.fix).toBe(
      'Nothing to do: the records are sent again at 14:05 (in 5 min). If it keeps failing, contact Acme.',
    );
    expect(move.retryAt).toEqual(at(-5));
    expect(move.retryable).toBe(true);
    expect(actionFor(move.party)).toBe('contact_saas');
  });

  describe('an endpoint that timed out is too slow, which reads apart from one that answers 500', () => {
    const timedOut =
      '20 record(s) not delivered: the request timed out: the endpoint did not answer within 5 s after 2 attempts. They will be retried by the next load.';

    test('it is the SaaS’s move: their endpoint must answer sooner', () => {
      const move = whoseMove(jobError('destination_unavailable', 'destination', timedOut), context);
      expect(move).toEqual({
        party: 'saas_endpoint',
        title: "Acme's endpoint took longer than 5 s to answer",
        fix: 'Nothing to do: the records are sent again with the next run. If it keeps timing out, contact Acme: their endpoint must answer sooner.',
        retryable: true,
      });
      expect(actionFor(move.party)).toBe('contact_saas');
    });

    test('a 500 from the same endpoint is a failure, not slowness', () => {
      const failing = whoseMove(
        jobError(
          'destination_unavailable',
          'destination',
          '20 record(s) not delivered: the endpoint answered 500 after 2 attempts.',
        ),
        context,
      );
      const slow = whoseMove(jobError('destination_unavailable', 'destination', timedOut), context);
      expect(failing.title).toBe("Acme's endpoint is failing (HTTP 500)");
      expect(slow.title).not.toBe(failing.title);
      expect(slow.fix).not.toBe(failing.fix);
    });

    test('the deadline is named when the message gives it', () => {
      const move = whoseMove(
        jobError(
          'destination_unavailable',
          'destination',
          '3 record(s) not delivered: the endpoint did not answer within 5 s (timed out).',
        ),
        context,
      );
      expect(move.title).toBe("Acme's endpoint took longer than 5 s to answer");
    });

    test('with the time of the next load', () => {
      expect(
        whoseMove(jobError('destination_unavailable', 'destination', timedOut), {
          ...context,
          nextRetryAt: at(-5),
        }),
      ).toMatchObject({
        fix: 'Nothing to do: the records are sent again at 14:05 (in 5 min). If it keeps timing out, contact Acme: their endpoint must answer sooner.',
        retryAt: at(-5),
      });
    });

    test('a timeout under a code it has no words for, blamed on the destination, reads the same', () => {
      expect(
        whoseMove(
          jobError('hosted_api_code', 'destination', 'Request timed out after 30s'),
          context,
        ),
      ).toMatchObject({
        party: 'saas_endpoint',
        title: "Acme's endpoint took too long to answer",
        retryable: true,
      });
    });

    test('a connection that could not be made in time is not slowness', () => {
      expect(
        whoseMove(
          jobError(
            'destination_unavailable',
            'destination',
            '1 record(s) not delivered: the connection failed (ETIMEDOUT).',
          ),
          context,
        ).title,
      ).toBe("Acme's endpoint is failing");
    });
  });

  test.each([
    [
      "the connection failed: the endpoint's TLS certificate was not accepted (CERT_HAS_EXPIRED)",
      "Acme's endpoint is failing (its TLS certificate was refused)",
    ],
    [
      'the connection failed: the TLS handshake with the endpoint failed (EPROTO)',
      "Acme's endpoint is failing (the TLS handshake failed)",
    ],
    ['the connection failed (ECONNREFUSED)', "Acme's endpoint is failing"],
  ])('an endpoint failure reads as what happened: %s', (message, title) => {
    expect(
      whoseMove(
        jobError(
          'destination_unavailable',
          'destination',
          `1 record(s) not delivered: ${message}.`,
        ),
        context,
      ).title,
    ).toBe(title);
  });

  test('a rejected record is the SaaS’s to explain', () => {
    const move = whoseMove(
      jobError(
        'destination_rejected',
        'destination',
        '2 record(s) not delivered: the endpoint rejected the record with 422.',
      ),
      context,
    );
    expect(move).toMatchObject({
      party: 'saas_endpoint',
      title: "Acme's endpoint rejected some records (HTTP 422)",
      fix: 'Contact Acme with the error below.',
      retryable: false,
    });
  });

  test('a retry time that has passed reads as "shortly"', () => {
    const move = whoseMove(jobError('engine_error', 'engine', 'worker lost'), {
      ...context,
      nextRetryAt: at(2),
    });
    expect(move.fix).toBe('Nothing to do: it retries by itself shortly.');
    expect(move.retryAt).toEqual(at(2));
  });

  test('a retry more than a day away names the day, in the customer’s time zone', () => {
    const move = whoseMove(jobError('engine_error', 'engine', 'worker lost'), {
      ...context,
      nextRetryAt: new Date('2025-03-06T09:30:00Z'),
      timeZone: 'America/New_York',
    });
    expect(move.fix).toBe('Nothing to do: it retries by itself at 6 Mar, 04:30 (in 1 d 19 h).');
  });

  test('a mapping the engine cannot compile is the customer’s to edit', () => {
    const move = whoseMove(
      jobError('invalid_stream', 'configuration', 'email: no column "mail" in the dataset'),
      context,
    );
    expect(move).toEqual({
      party: 'configuration',
      title: 'The mapping needs a change',
      fix: 'Edit the mapping: the fields to fix are listed below.',
      retryable: false,
    });
    expect(actionFor(move.party)).toBe('edit_mapping');
  });

  test('a failure on our side is temporary, with the retry time', () => {
    const move = whoseMove(
      jobError('engine_error', 'engine', 'Connection terminated unexpectedly'),
      { ...context, nextRetryAt: at(-65) },
    );
    expect(move).toEqual({
      party: 'temporary',
      title: 'The import hit a problem on our side',
      fix: 'Nothing to do: it retries by itself at 15:05 (in 1 h 5 min).',
      retryAt: at(-65),
      retryable: true,
    });
    expect(actionFor(move.party)).toBe('wait');
  });

  test('a retry time is not promised for a failure that needs someone', () => {
    const move = whoseMove(jobError('source_auth_failed', 'source'), {
      ...context,
      nextRetryAt: at(-5),
    });
    expect(move.retryAt).toBeUndefined();
  });

  test('a failed job without an error is temporary', () => {
    expect(whoseMove(null, { now: NOW, nextRetryAt: at(-30) })).toEqual({
      party: 'temporary',
      title: 'The run stopped before it finished',
      fix: 'Nothing to do: it retries by itself at 14:30 (in 30 min).',
      retryAt: at(-30),
      retryable: true,
    });
  });

  test('without a SaaS name it says "the service"', () => {
    const move = whoseMove(
      jobError('destination_gone', 'destination', 'the endpoint answered 410 Gone'),
      { now: NOW, saasName: '  ' },
    );
    expect(move.title).toBe("The service's endpoint is gone, so the stream was paused");
    expect(move.fix).toBe(
      'Contact the service. Once their endpoint is back, enable the stream again: it then delivers what it missed.',
    );
  });

  describe('codes it has no words for are judged by their blame', () => {
    test.each<[string, string, Party, string, boolean]>([
      [
        'source',
        'ORA-01017: invalid username/password',
        'your_database',
        'Your database reported a problem',
        false,
      ],
      [
        'destination',
        'upstream answered 502 Bad Gateway',
        'saas_endpoint',
        "Acme's endpoint is failing (HTTP 502)",
        true,
      ],
      [
        'destination',
        'Too many requests (429)',
        'saas_endpoint',
        "Acme's endpoint is failing",
        true,
      ],
      [
        'destination',
        'payload refused: missing field id',
        'saas_endpoint',
        "Acme's endpoint reported a problem",
        false,
      ],
      ['configuration', 'bad expression', 'configuration', 'The mapping needs a change', false],
      ['engine', 'out of memory', 'temporary', 'The import hit a problem', true],
      [
        'system',
        'unknown blame from the hosted API',
        'temporary',
        'The import hit a problem',
        true,
      ],
    ])('blame %s: %s', (blame, message, party, title, retryable) => {
      const move = whoseMove(jobError('hosted_api_code', blame, message), context);
      expect(move).toMatchObject({ party, title, retryable });
    });
  });
});

describe('every error code the engine raises has words of its own', () => {
  /** [code, blame the engine gives it, party, title] */
  const cases: [string, string, Party, string][] = [
    ['auth_failed', 'source', 'your_database', 'Your database refused the password'],
    ['source_auth_failed', 'source', 'your_database', 'Your database refused the password'],
    ['unknown_user', 'source', 'your_database', 'Your database has no such user'],
    ['login_not_permitted', 'source', 'your_database', 'The database user may not sign in'],
    [
      'auth_method_not_supported',
      'source',
      'your_database',
      'Your database asks for a sign-in method we cannot use',
    ],
    [
      'database_not_found',
      'source',
      'your_database',
      'Your database server has no database by that name',
    ],
    [
      'database_access_denied',
      'source',
      'your_database',
      'The database user may not open the database',
    ],
    [
      'host_not_allowed',
      'source',
      'your_database',
      'Your database does not accept connections from us',
    ],
    ['tls_required', 'source', 'your_database', 'Your database requires an encrypted connection'],
    [
      'connection_closed',
      'source',
      'your_database',
      'Your database closed the connection while signing in',
    ],
    ['missing_privileges', 'source', 'your_database', 'The database user may not read the data'],
    [
      'source_permission_denied',
      'source',
      'your_database',
      'The database user may not read the data',
    ],
    ['schema_not_found', 'source', 'your_database', 'The schema is missing from your database'],
    [
      'source_schema_changed',
      'source',
      'your_database',
      'A table or column is missing from your database',
    ],
    [
      'table_not_found',
      'source',
      'your_database',
      'A table or column is missing from your database',
    ],
    ['source_query_timeout', 'source', 'your_database', 'Reading your database took too long'],
    ['source_read_failed', 'source', 'your_database', 'Reading your database failed'],
    [
      'vendor_not_supported',
      'source',
      'your_database',
      'This kind of database cannot be imported yet',
    ],
    ['not_resolvable', 'source', 'your_database', "Your database's host name does not resolve"],
    ['invalid_host', 'source', 'your_database', 'The host name is not valid'],
    ['forbidden_address', 'source', 'your_database', 'The database address is a private one'],
    ['ssh_tunnel_not_supported', 'source', 'your_database', 'SSH tunnels are not supported yet'],
    ['source_unreachable', 'source', 'your_database', 'Your database is unreachable'],
    ['connection_refused', 'source', 'your_database', 'Your database refused the connection'],
    ['connection_timeout', 'source', 'your_database', 'Your database did not answer'],
    [
      'host_unreachable',
      'source',
      'your_database',
      'Your database cannot be reached from the internet',
    ],
    ['connection_reset', 'source', 'your_database', 'Your database closed the connection at once'],
    ['connection_failed', 'source', 'your_database', 'Your database is unreachable'],
    ['no_answer', 'source', 'your_database', 'Nothing answered like a database on that port'],
    ['server_refused', 'source', 'your_database', 'Your database refused the connection'],
    ['not_postgres', 'source', 'your_database', 'That port does not answer like Postgres'],
    ['not_mysql', 'source', 'your_database', 'That port does not answer like MySQL'],
    [
      'tls_not_supported',
      'source',
      'your_database',
      'Your database does not offer an encrypted connection',
    ],
    ['tls_failed', 'source', 'your_database', 'The secure connection to your database failed'],
    ['too_many_connections', 'source', 'temporary', 'Your database had no free connections'],
    ['server_unavailable', 'source', 'temporary', 'Your database was restarting'],
    ['source_connection_lost', 'source', 'temporary', 'The connection to your database dropped'],
    ['engine_error', 'engine', 'temporary', 'The import hit a problem on our side'],
    ['dataset_deleted', 'engine', 'temporary', 'The dataset was deleted'],
    [
      'datalake_unavailable',
      'configuration',
      'temporary',
      'Saving the imported data failed for a moment',
    ],
    [
      'datalake_unreachable',
      'configuration',
      'temporary',
      'Saving the imported data failed for a moment',
    ],
    [
      'datalake_download_incomplete',
      'configuration',
      'temporary',
      'Saving the imported data failed for a moment',
    ],
    [
      'datalake_request_failed',
      'configuration',
      'temporary',
      'Saving the imported data failed for a moment',
    ],
    ['destination_unavailable', 'destination', 'saas_endpoint', "Acme's endpoint is failing"],
    [
      'destination_rejected',
      'destination',
      'saas_endpoint',
      "Acme's endpoint rejected some records",
    ],
    [
      'destination_gone',
      'destination',
      'saas_endpoint',
      "Acme's endpoint is gone, so the stream was paused",
    ],
    [
      'stream_disabled',
      'destination',
      'saas_endpoint',
      "Acme's endpoint is gone, so the stream was paused",
    ],
    [
      'datalake_write_failed',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_bucket_not_found',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_credentials_rejected',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_no_credentials',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_wrong_region',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_access_denied',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_delete_failed',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_not_found',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_invalid',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_not_supported',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_object_not_found',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_path_outside_data_dir',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'datalake_host_not_allowed',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'artifact_url_unavailable',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'invalid_lake_key',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    [
      'provider_not_found',
      'configuration',
      'saas_endpoint',
      "Acme's import storage refused the data",
    ],
    ['invalid_stream', 'configuration', 'configuration', 'The mapping needs a change'],
    ['expression_too_slow', 'configuration', 'configuration', 'An expression is too slow'],
    ['transform_error', 'configuration', 'configuration', 'A record could not be transformed'],
    ['schema_error', 'configuration', 'configuration', "A record does not match Acme's format"],
    ['invalid_query', 'source', 'configuration', "The dataset's SQL query failed"],
    ['query_timeout', 'source', 'configuration', "The dataset's SQL query took too long"],
    [
      'method_not_supported',
      'source',
      'configuration',
      'SQL datasets cannot be read from MySQL yet',
    ],
  ];

  test.each(cases)('%s (blame %s) → %s: %s', (code, blame, party, title) => {
    const move = whoseMove(jobError(code, blame, 'The engine said so.'), context);
    expect(move.party).toBe(party);
    expect(move.title).toBe(title);
    expect(move.fix.length).toBeGreaterThan(10);
    expect(move.retryable).toBe(
      party === 'temporary' ? code !== 'dataset_deleted' : code === 'destination_unavailable',
    );
  });

  test('the cases above are exactly the codes with words', () => {
    expect(new Set(cases.map(([code]) => code))).toEqual(KNOWN_ERROR_CODES);
  });

  test('no code the engine raises falls back to words by blame', () => {
    const raised = engineErrorCodes();
    // The scan finds each kind of code, so an empty scan cannot pass for a complete one.
    for (const code of [
      'auth_failed',
      'not_resolvable',
      'invalid_query',
      'source_schema_changed',
      'dataset_deleted',
      'datalake_access_denied',
      'datalake_not_found',
      'destination_gone',
      'stream_disabled',
      'invalid_stream',
    ]) {
      expect(raised).toContain(code);
    }
    expect([...raised].filter((code) => !KNOWN_ERROR_CODES.has(code))).toEqual([]);
  });
});

describe('passesByItself, the rule the engine applies in SQL', () => {
  test('agrees with whoseMove for every code with words, a code without, and every blame', () => {
    for (const code of [...KNOWN_ERROR_CODES, 'a_code_nobody_knows']) {
      for (const blame of ['source', 'destination', 'configuration', 'engine', 'something_else']) {
        const error = jobError(code, blame as never, 'the request timed out');
        expect(passesByItself(error), `${code} blamed on ${blame}`).toBe(
          whoseMove(error, { now: NOW }).party === 'temporary',
        );
      }
    }
    expect(passesByItself(null)).toBe(whoseMove(null, { now: NOW }).party === 'temporary');
  });
});

describe('actionFor and partyLabel', () => {
  test.each<[Party, string, string]>([
    ['your_database', 'update_credentials', 'Your database'],
    ['saas_endpoint', 'contact_saas', "Acme's endpoint"],
    ['configuration', 'edit_mapping', 'Mapping'],
    ['temporary', 'wait', 'Temporary'],
  ])('%s → %s, labelled "%s"', (party, action, label) => {
    expect(actionFor(party)).toBe(action);
    expect(partyLabel(party, 'Acme')).toBe(label);
  });

  test('the endpoint label without a SaaS name', () => {
    expect(partyLabel('saas_endpoint')).toBe("The service's endpoint");
  });
});

/** The error codes written in the engine's sources: what its jobs can fail with. */
function engineErrorCodes(): Set<string> {
  const engine = fileURLToPath(new URL('../../../../engine/', import.meta.url));
  const sourcesOf = (dir: string) =>
    (readdirSync(path.join(engine, dir), { recursive: true }) as string[])
      .filter(
        (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith('testing'),
      )
      .map((file) => ({ file, text: readFileSync(path.join(engine, dir, file), 'utf8') }));
  const codes = new Set<string>();
  const collect = (text: string, pattern: RegExp) => {
    for (const match of text.matchAll(pattern)) codes.add(match[1]!);
  };
  // The source checklist's failures, which an extract passes on as its error code (the checklist's own verdicts aside).
  for (const { file, text } of sourcesOf('sources'))
    if (file !== 'checklist.ts') collect(text, /\bcode: '([a-z_]+)'/g);
  collect(
    readFileSync(path.join(engine, 'sources/user-query-error.ts'), 'utf8'),
    /'([a-z]+_[a-z_]+)'/g,
  );
  collect(readFileSync(path.join(engine, 'net/host-policy.ts'), 'utf8'), /reason: '([a-z_]+)'/g);
  for (const dir of ['extract', 'loads', 'transform'])
    for (const { text } of sourcesOf(dir))
      collect(text, /new JobFailure\(\s*'\w+',\s*'([a-z_]+)'/g);
  for (const { text } of sourcesOf('datalake')) {
    collect(text, /(?:DatalakeError\(|make\(|super\()\s*'([a-z_]+)'/g);
  }
  for (const line of readFileSync(path.join(engine, 'loads/run-load.ts'), 'utf8').split('\n')) {
    const tail = /\b(?:error_code|errorCode|code)\b.*/.exec(line)?.[0];
    if (tail) collect(tail, /'([a-z]+_[a-z_]+)'/g);
  }
  return codes;
}
