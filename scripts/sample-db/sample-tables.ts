// The sample source schema, described once: both dialects' DDL, COPY column lists and inserts
// derive from it.

/**
 * How a value is written: numbers go unquoted, timestamps are UTC `YYYY-MM-DD HH:MM:SS.ffffff`,
 * booleans `t`/`f`.
 */
export type ColumnKind = 'integer' | 'decimal' | 'text' | 'timestamp' | 'boolean' | 'json';

export interface SampleColumn {
  name: string;
  kind: ColumnKind;
  postgres: string;
  mysql: string;
  notNull?: boolean;
  /** A literal both dialects accept. */
  default?: string;
}

export interface SampleTable {
  name: SampleTableName;
  columns: readonly SampleColumn[];
  unique?: readonly string[];
  references?: { column: string; table: SampleTableName };
  /** The keyset an incremental extract reads by: (last_modified, pk) or (created_at, pk). */
  cursorIndex: readonly [string, string];
}

export type SampleTableName = 'customers' | 'accounts' | 'orders' | 'events';

const id: SampleColumn = {
  name: 'id',
  kind: 'integer',
  postgres: 'bigint',
  mysql: 'BIGINT',
  notNull: true,
};
const customerId: SampleColumn = {
  name: 'customer_id',
  kind: 'integer',
  postgres: 'bigint',
  mysql: 'BIGINT',
  notNull: true,
};
const timestamp = (name: string, notNull = false): SampleColumn => ({
  name,
  kind: 'timestamp',
  postgres: 'timestamptz',
  mysql: 'DATETIME(6)',
  notNull,
});
const text = (name: string, mysql: string, notNull = false): SampleColumn => ({
  name,
  kind: 'text',
  postgres: 'text',
  mysql,
  notNull,
});
const json = (name: string): SampleColumn => ({
  name,
  kind: 'json',
  postgres: 'jsonb',
  mysql: 'JSON',
});
const decimal = (name: string, precision: string): SampleColumn => ({
  name,
  kind: 'decimal',
  postgres: `numeric(${precision})`,
  mysql: `DECIMAL(${precision})`,
});
const fixedChar = (name: string, length: number): SampleColumn => ({
  name,
  kind: 'text',
  postgres: `char(${length})`,
  mysql: `CHAR(${length})`,
});

export const customersTable: SampleTable = {
  name: 'customers',
  columns: [
    id,
    text('email', 'VARCHAR(320)'),
    text('full_name', 'VARCHAR(255)'),
    fixedChar('country', 2),
    text('plan', 'VARCHAR(32)'),
    timestamp('signup_at'),
    timestamp('updated_at', true),
    {
      name: 'is_deleted',
      kind: 'boolean',
      postgres: 'boolean',
      mysql: 'TINYINT(1)',
      notNull: true,
      default: 'false',
    },
    text('notes', 'TEXT'),
    decimal('lifetime_value', '38,10'),
    { name: 'external_ref', kind: 'integer', postgres: 'bigint', mysql: 'BIGINT' },
    json('attributes'),
  ],
  unique: ['email'],
  cursorIndex: ['updated_at', 'id'],
};

export const accountsTable: SampleTable = {
  name: 'accounts',
  columns: [
    id,
    customerId,
    text('name', 'VARCHAR(255)'),
    decimal('balance', '20,4'),
    fixedChar('currency', 3),
    text('status', 'VARCHAR(32)'),
    timestamp('created_at'),
    timestamp('updated_at', true),
    timestamp('closed_at'),
  ],
  references: { column: 'customer_id', table: 'customers' },
  cursorIndex: ['updated_at', 'id'],
};

export const ordersTable: SampleTable = {
  name: 'orders',
  columns: [
    id,
    customerId,
    timestamp('created_at', true),
    decimal('amount', '12,2'),
    fixedChar('currency', 3),
    json('items'),
    text('status', 'VARCHAR(32)'),
  ],
  cursorIndex: ['created_at', 'id'],
};

export const eventsTable: SampleTable = {
  name: 'events',
  columns: [
    id,
    customerId,
    timestamp('occurred_at', true),
    text('type', 'VARCHAR(64)'),
    json('payload'),
  ],
  cursorIndex: ['occurred_at', 'id'],
};

/** In creation order: referenced tables first. */
export const sampleTables: readonly SampleTable[] = [
  customersTable,
  accountsTable,
  ordersTable,
  eventsTable,
];

export type RowCounts = Record<SampleTableName, number>;

/** One row in column order; values in the kinds' text forms, null for SQL NULL. */
export type Cells = (string | null)[];
