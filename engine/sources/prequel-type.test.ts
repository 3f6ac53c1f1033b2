import { describe, expect, test } from 'vitest';
import { mysqlPrequelType, postgresPrequelType } from './prequel-type';

describe('Postgres types', () => {
  test.each([
    ['smallint', 'integer'],
    ['integer', 'integer'],
    ['bigint', 'integer'],
    ['numeric', 'decimal'],
    ['numeric(38,10)', 'decimal'],
    ['real', 'float'],
    ['double precision', 'float'],
    ['boolean', 'boolean'],
    ['timestamp without time zone', 'timestamp'],
    ['timestamp(3) without time zone', 'timestamp'],
    ['timestamp with time zone', 'timestamp'],
    ['date', 'date'],
    ['time without time zone', 'time'],
    ['time(6) with time zone', 'time'],
    ['json', 'json'],
    ['jsonb', 'json'],
    ['bytea', 'bytes'],
    ['uuid', 'uuid'],
    ['integer[]', 'array'],
    ['text[]', 'array'],
    ['character varying(255)[]', 'array'],
    ['text', 'string'],
    ['character varying(255)', 'string'],
    ['character(3)', 'string'],
    ['money', 'string'],
    ['interval', 'string'],
    ['inet', 'string'],
    ['mood', 'string'],
    ['bit(8)', 'string'],
    ['xml', 'string'],
  ])('%s → %s', (raw, expected) => {
    expect(postgresPrequelType(raw)).toBe(expected);
  });
});

describe('MySQL and MariaDB types', () => {
  test.each([
    ['tinyint(1)', 'boolean'],
    ['tinyint(1) unsigned', 'boolean'],
    ['tinyint(4)', 'integer'],
    ['tinyint', 'integer'],
    ['bit(1)', 'boolean'],
    ['bit(8)', 'bytes'],
    ['smallint(6)', 'integer'],
    ['mediumint', 'integer'],
    ['int(11)', 'integer'],
    ['int unsigned', 'integer'],
    ['bigint(20)', 'integer'],
    ['bigint(20) unsigned', 'integer'],
    ['year(4)', 'integer'],
    ['decimal(38,10)', 'decimal'],
    ['decimal(10,2) unsigned zerofill', 'decimal'],
    ['float', 'float'],
    ['double', 'float'],
    ['date', 'date'],
    ['datetime', 'timestamp'],
    ['datetime(6)', 'timestamp'],
    ['timestamp(6)', 'timestamp'],
    ['time(3)', 'time'],
    ['json', 'json'],
    ['uuid', 'uuid'],
    ['blob', 'bytes'],
    ['longblob', 'bytes'],
    ['varbinary(20)', 'bytes'],
    ['binary(16)', 'bytes'],
    ['geometry', 'bytes'],
    ['varchar(255)', 'string'],
    ['char(36)', 'string'],
    ['longtext', 'string'],
    ["enum('a','b')", 'string'],
    ["set('x','y')", 'string'],
    ['inet6', 'string'],
  ])('%s → %s', (raw, expected) => {
    expect(mysqlPrequelType(raw)).toBe(expected);
  });
});
