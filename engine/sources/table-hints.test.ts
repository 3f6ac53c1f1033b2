import { describe, expect, test } from 'vitest';
import { similarNames } from './similar-names';
import {
  type ColumnBrief,
  createdAtCandidates,
  describeTable,
  isDeletedCandidates,
  lastModifiedCandidates,
  looksAppendOnly,
  readiness,
  suggestedType,
} from './table-hints';

const ts = (name: string): ColumnBrief => ({ name, type: 'timestamp' });
const bool = (name: string): ColumnBrief => ({ name, type: 'boolean' });
const text = (name: string): ColumnBrief => ({ name, type: 'string' });

describe('last-modified candidates', () => {
  test('timestamp columns named like an update time, best first', () => {
    const columns = [
      ts('billing_updated_at'),
      ts('modified'),
      ts('updated_at'),
      ts('last_modified'),
      ts('created_at'),
      text('updated_by'),
    ];
    expect(lastModifiedCandidates(columns)).toEqual([
      'updated_at',
      'last_modified',
      'modified',
      'billing_updated_at',
    ]);
  });

  test('camelCase and PascalCase names count', () => {
    expect(lastModifiedCandidates([ts('UpdatedAt'), ts('lastModified')])).toEqual([
      'UpdatedAt',
      'lastModified',
    ]);
  });

  test('a date or text column named updated_at is not a candidate', () => {
    expect(
      lastModifiedCandidates([{ name: 'updated_at', type: 'date' }, text('modified_at')]),
    ).toEqual([]);
  });
});

test('is-deleted candidates are boolean columns named like a soft delete', () => {
  expect(
    isDeletedCandidates([
      bool('archived'),
      bool('is_deleted'),
      bool('_deleted'),
      ts('deleted_at'),
      text('deleted'),
      bool('active'),
    ]),
  ).toEqual(['is_deleted', '_deleted', 'archived']);
});

test('created-at candidates', () => {
  expect(createdAtCandidates([ts('occurred_at'), ts('created_at'), text('created')])).toEqual([
    'created_at',
    'occurred_at',
  ]);
});

describe('suggested type', () => {
  test.each([
    'events',
    'user_events',
    'audit_log',
    'order_history',
    'transactions',
    'Clicks',
    'page_views',
    'pageviews',
    'chat_messages',
    'AuditLogs',
  ])('%s with a created_at and no updated_at is a fact', (name) => {
    expect(looksAppendOnly(name)).toBe(true);
    expect(suggestedType(name, [ts('created_at')])).toBe('fact');
  });

  test('a last-modified column makes a dimension even for an append-only name', () => {
    expect(suggestedType('events', [ts('created_at'), ts('updated_at')])).toBe('dimension');
  });

  test('names that merely contain a word are not append-only', () => {
    expect(looksAppendOnly('catalog')).toBe(false);
    expect(looksAppendOnly('blogposts')).toBe(false);
    expect(suggestedType('catalog', [ts('created_at')])).toBe('dimension');
  });

  test('an append-only name without a creation time is a dimension', () => {
    expect(suggestedType('events', [text('name')])).toBe('dimension');
  });
});

test('readiness names what is missing, privilege first', () => {
  expect(readiness({ readable: false, primaryKey: [] })).toBe('no_select_privilege');
  expect(readiness({ readable: true, primaryKey: [] })).toBe('no_primary_key');
  expect(readiness({ readable: true, primaryKey: ['id'] })).toBe('ready');
});

test('describeTable assembles the browser row', () => {
  expect(
    describeTable({
      namespace: 'public',
      name: 'users',
      estimatedRows: 12,
      primaryKey: ['id'],
      readable: true,
      columns: [text('id'), ts('updated_at'), bool('is_deleted')],
    }),
  ).toEqual({
    namespace: 'public',
    name: 'users',
    estimated_rows: 12,
    primary_key: ['id'],
    candidate_last_modified_columns: ['updated_at'],
    candidate_created_at_columns: [],
    candidate_is_deleted_columns: ['is_deleted'],
    suggested_type: 'dimension',
    readiness: 'ready',
  });
});

describe('similar names', () => {
  const candidates = [
    { namespace: 'public', name: 'users' },
    { namespace: 'public', name: 'user_roles' },
    { namespace: 'sales', name: 'Users' },
    { namespace: 'public', name: 'orders' },
    { namespace: 'public', name: 'accounts' },
  ];

  test('a different case or schema, then typos, then containment', () => {
    expect(similarNames({ namespace: 'public', name: 'Users' }, candidates)).toEqual([
      { namespace: 'public', name: 'users' },
      { namespace: 'sales', name: 'Users' },
    ]);
    expect(similarNames({ namespace: 'public', name: 'user' }, candidates)).toEqual([
      { namespace: 'public', name: 'users' },
      { namespace: 'sales', name: 'Users' },
      { namespace: 'public', name: 'user_roles' },
    ]);
    expect(similarNames({ namespace: 'public', name: 'odrers' }, candidates)).toEqual([
      { namespace: 'public', name: 'orders' },
    ]);
  });

  test('nothing close, nothing suggested', () => {
    expect(similarNames({ namespace: 'public', name: 'invoices' }, candidates)).toEqual([]);
  });
});
