// Pure: the portable prequel_type of a column from the type name its database gives.
import type { PrequelType } from '../../lib/prequel/contract/source-actions';

const POSTGRES: Record<string, PrequelType> = {
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
  oid: 'integer',
  numeric: 'decimal',
  real: 'float',
  'double precision': 'float',
  boolean: 'boolean',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamp',
  date: 'date',
  'time without time zone': 'time',
  'time with time zone': 'time',
  json: 'json',
  jsonb: 'json',
  bytea: 'bytes',
  uuid: 'uuid',
};

/**
 * `format_type()` output of the column's base type (domains resolved): `numeric(38,10)`,
 * `timestamp(3) with time zone`, `character varying(255)`, `integer[]`. Anything not listed (text,
 * enums, money, intervals, network types…) is a string.
 */
export function postgresPrequelType(formatType: string): PrequelType {
  const type = formatType.trim().toLowerCase();
  if (type.endsWith('[]')) return 'array';
  return POSTGRES[type.replace(/\(\d+(?:,\s*-?\d+)?\)/g, '')] ?? 'string';
}

const MYSQL: Record<string, PrequelType> = {
  bool: 'boolean',
  boolean: 'boolean',
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  integer: 'integer',
  bigint: 'integer',
  year: 'integer',
  decimal: 'decimal',
  numeric: 'decimal',
  dec: 'decimal',
  fixed: 'decimal',
  float: 'float',
  double: 'float',
  'double precision': 'float',
  real: 'float',
  date: 'date',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  time: 'time',
  json: 'json',
  uuid: 'uuid',
  binary: 'bytes',
  varbinary: 'bytes',
  tinyblob: 'bytes',
  blob: 'bytes',
  mediumblob: 'bytes',
  longblob: 'bytes',
  geometry: 'bytes',
  point: 'bytes',
  linestring: 'bytes',
  polygon: 'bytes',
  multipoint: 'bytes',
  multilinestring: 'bytes',
  multipolygon: 'bytes',
  geometrycollection: 'bytes',
};

/**
 * `COLUMN_TYPE` as MySQL/MariaDB print it: `tinyint(1)`, `bigint(20) unsigned`, `decimal(38,10)`,
 * `enum('a','b')`. `tinyint(1)` is MySQL's boolean (BOOLEAN is an alias for it); `bit(1)` is a flag
 * too.
 */
export function mysqlPrequelType(columnType: string): PrequelType {
  const type = columnType.trim().toLowerCase();
  if (/^tinyint\(1\)( unsigned)?( zerofill)?$/.test(type)) return 'boolean';
  const base = /^[a-z ]+?(?=\(|$| unsigned| signed| zerofill)/.exec(type)?.[0] ?? type;
  if (base === 'bit') return /^bit(\(1\))?$/.test(type) ? 'boolean' : 'bytes';
  return MYSQL[base] ?? 'string';
}
