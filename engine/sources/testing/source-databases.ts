// Customer databases for source tests: a fresh database (and roles or users) on the run's real
// Postgres and MariaDB.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { inject } from 'vitest';

const suffix = () => randomBytes(5).toString('hex');

export interface PostgresSourceDb {
  name: string;
  host: string;
  port: number;
  /** Superuser client connected to this database. */
  admin: pg.Client;
  adminUser: string;
  adminPassword: string;
  /** A login role with a unique name and password, dropped with the database. */
  createRole(setup?: (role: string) => string): Promise<{ name: string; password: string }>;
  drop(): Promise<void>;
}

export async function createPostgresSourceDb(): Promise<PostgresSourceDb> {
  const adminUrl = new URL(inject('pgAdminUrl'));
  const name = `source_${suffix()}`;
  const server = new pg.Client(adminUrl.toString());
  await server.connect();
  await server.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client(url.toString());
  await admin.connect();
  const roles: string[] = [];
  return {
    name,
    host: adminUrl.hostname,
    port: Number(adminUrl.port),
    admin,
    adminUser: decodeURIComponent(adminUrl.username),
    adminPassword: decodeURIComponent(adminUrl.password),
    async createRole(setup) {
      const role = `inlet_role_${suffix()}`;
      const password = `pw-${randomBytes(12).toString('hex')}`;
      roles.push(role);
      await admin.query(`create role ${role} login password '${password}'`);
      if (setup) await admin.query(setup(role));
      return { name: role, password };
    },
    async drop() {
      await admin.end();
      await server.query(`drop database if exists ${name} with (force)`);
      for (const role of roles) await server.query(`drop role if exists ${role}`);
      await server.end();
    },
  };
}

export interface MysqlSourceDb {
  name: string;
  host: string;
  port: number;
  admin: mysql.Connection;
  adminUser: string;
  adminPassword: string;
  /**
   * A user with a unique name and password that may connect from anywhere; dropped with the
   * database.
   */
  createUser(grants?: (user: string) => string[]): Promise<{ name: string; password: string }>;
  drop(): Promise<void>;
}

export async function createMysqlSourceDb(): Promise<MysqlSourceDb> {
  const adminUrl = inject('mysqlAdminUrl');
  if (!adminUrl) throw new Error('MariaDB is not installed: apt-get install -y mariadb-server.');
  const url = new URL(adminUrl);
  const name = `source_${suffix()}`;
  const admin = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    multipleStatements: true,
  });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.query(`USE ${name}`);
  const users: string[] = [];
  return {
    name,
    host: url.hostname,
    port: Number(url.port),
    admin,
    adminUser: decodeURIComponent(url.username),
    adminPassword: decodeURIComponent(url.password),
    async createUser(grants) {
      const user = `inlet_u_${suffix()}`;
      const password = `pw-${randomBytes(12).toString('hex')}`;
      users.push(user);
      await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
      for (const statement of grants?.(`'${user}'@'%'`) ?? []) await admin.query(statement);
      return { name: user, password };
    },
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      for (const user of users) await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
      await admin.end();
    },
  };
}
