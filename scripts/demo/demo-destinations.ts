// Pure: the SaaS's three destinations (what it accepts, where it listens) and how the sample tables
// feed them.
import type { DatasetCreate } from '../../lib/prequel/contract/dataset';
import type { DestinationCreate } from '../../lib/prequel/contract/destination';
import type { Mapping } from '../../lib/prequel/contract/stream';
import { DEMO_DELIVERY_TIMEOUT_SECONDS } from './demo-defaults';

export type DemoDestinationKey = 'users' | 'accounts' | 'orders';
export const DEMO_DESTINATION_KEYS: readonly DemoDestinationKey[] = ['users', 'accounts', 'orders'];

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';
const decimal = (description: string) => ({
  type: 'string',
  pattern: '^-?\\d+(\\.\\d+)?$',
  description,
});
const nullable = (schema: Record<string, unknown>) => ({ ...schema, type: [schema.type, 'null'] });
const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description });
const currency = {
  type: 'string',
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 currency code, e.g. USD.',
};

/**
 * Required fields come first, so a reader of the schema sees what must be mapped before what may
 * be.
 */
const usersSchema = {
  $schema: DRAFT_07,
  title: 'User',
  description: 'A person with a login to the product.',
  type: 'object',
  required: ['id', 'email', 'plan'],
  properties: {
    id: {
      type: 'string',
      description: 'Your identifier for the user; stays the same when anything else changes.',
    },
    email: {
      type: 'string',
      format: 'email',
      description: 'Login e-mail address, unique per user.',
    },
    plan: {
      type: 'string',
      enum: ['free', 'starter', 'pro', 'enterprise'],
      description: 'The subscription plan the user is on.',
    },
    name: nullable({ type: 'string', description: 'Full name as the user typed it.' }),
    country: nullable({
      type: 'string',
      pattern: '^[A-Z]{2}$',
      description: 'ISO 3166-1 alpha-2 country code.',
    }),
    signed_up_at: nullable(dateTime('When the user signed up.')),
    updated_at: dateTime('When the user was last changed in your system.'),
    lifetime_value: nullable(decimal('Revenue from this user so far, as an exact decimal string.')),
    attributes: {
      type: ['object', 'null'],
      description: 'Free-form settings and tags, kept as they are.',
    },
  },
};

const accountsSchema = {
  $schema: DRAFT_07,
  title: 'Account',
  description: 'A billing account; a user can hold several.',
  type: 'object',
  required: ['id', 'user_id', 'status', 'currency'],
  properties: {
    id: { type: 'string', description: 'Your identifier for the account.' },
    user_id: { type: 'string', description: 'The id of the user who owns the account (Users.id).' },
    status: {
      type: 'string',
      enum: ['active', 'pending', 'frozen', 'closed'],
      description: 'Whether the account can be billed.',
    },
    currency,
    name: nullable({ type: 'string', description: 'The name the user gave the account.' }),
    balance: decimal('Current balance in the account currency, as an exact decimal string.'),
    opened_at: nullable(dateTime('When the account was opened.')),
    updated_at: dateTime('When the account was last changed in your system.'),
    closed_at: nullable(dateTime('When the account was closed; empty while it is open.')),
  },
};

const ordersSchema = {
  $schema: DRAFT_07,
  title: 'Order',
  description: 'A purchase, immutable once placed.',
  type: 'object',
  required: ['id', 'user_id', 'created_at', 'total', 'currency', 'status'],
  properties: {
    id: { type: 'string', description: 'Your identifier for the order.' },
    user_id: { type: 'string', description: 'The id of the user who placed the order (Users.id).' },
    created_at: dateTime('When the order was placed.'),
    total: decimal('Order total in the order currency, as an exact decimal string.'),
    currency,
    status: {
      type: 'string',
      enum: ['pending', 'paid', 'shipped', 'refunded', 'cancelled'],
      description: 'Where the order is in its life.',
    },
    items: {
      type: ['array', 'null'],
      description: 'The order lines.',
      items: {
        type: 'object',
        required: ['sku', 'qty'],
        properties: {
          sku: { type: 'string' },
          name: { type: 'string' },
          qty: { type: 'integer', minimum: 1 },
          unit_price: { type: 'number' },
        },
      },
    },
  },
};

export const DEMO_DESTINATION_NAMES: Record<DemoDestinationKey, string> = {
  users: 'Users',
  accounts: 'Accounts',
  orders: 'Orders',
};

/**
 * Where each destination delivers on the reference receiver; the tenant travels in
 * X-Prequel-Import-Provider.
 */
export const receiverPath = (key: DemoDestinationKey) => `/saas/${key}`;

/**
 * Users and Orders arrive in JSON batches, Accounts one request per record: the two ways a SaaS
 * takes data. Each sets its own deadline, so the slow-endpoint scenario times out within seconds
 * without changing the engine's.
 */
export function demoDestinations(
  receiverUrl: string,
): Record<DemoDestinationKey, DestinationCreate> {
  const uri = (key: DemoDestinationKey) => `${receiverUrl.replace(/\/+$/, '')}${receiverPath(key)}`;
  const batch = (
    key: DemoDestinationKey,
    recordSchema: Record<string, unknown>,
  ): DestinationCreate => ({
    name: DEMO_DESTINATION_NAMES[key],
    type: 'webhook_batch',
    record_schema: recordSchema,
    webhook_batch: {
      request_template: { method: 'POST', uri: uri(key) },
      format: 'json',
      max_records_per_batch: 500,
    },
    max_records_per_minute: 120_000,
    max_concurrency: 2,
    timeout_seconds: DEMO_DELIVERY_TIMEOUT_SECONDS,
  });
  return {
    users: batch('users', usersSchema),
    accounts: {
      name: DEMO_DESTINATION_NAMES.accounts,
      type: 'webhook_record',
      record_schema: accountsSchema,
      webhook_record: { request_template: { method: 'POST', uri: uri('accounts') } },
      max_records_per_minute: 60_000,
      max_concurrency: 8,
      timeout_seconds: DEMO_DELIVERY_TIMEOUT_SECONDS,
    },
    orders: batch('orders', ordersSchema),
  };
}

const field = (target: string, column: string): Mapping => ({
  target_field: target,
  field_type: 'field',
  column: { name: column },
});

/**
 * A sample table read as a dataset, and its mapping onto a destination: how a fully set-up tenant
 * looks.
 */
export interface DemoFeed {
  table: string;
  dataset: Pick<DatasetCreate, 'type' | 'dimension' | 'fact'>;
  mappings: Mapping[];
}

export const DEMO_FEEDS: Record<DemoDestinationKey, DemoFeed> = {
  users: {
    table: 'customers',
    dataset: {
      type: 'dimension',
      dimension: {
        primary_key_column: 'id',
        last_modified_column: 'updated_at',
        is_deleted_column: 'is_deleted',
      },
    },
    mappings: [
      field('id', 'id'),
      field('email', 'email'),
      field('plan', 'plan'),
      field('name', 'full_name'),
      field('country', 'country'),
      field('signed_up_at', 'signup_at'),
      field('updated_at', 'updated_at'),
      field('lifetime_value', 'lifetime_value'),
      field('attributes', 'attributes'),
    ],
  },
  accounts: {
    table: 'accounts',
    dataset: {
      type: 'dimension',
      dimension: { primary_key_column: 'id', last_modified_column: 'updated_at' },
    },
    mappings: [
      field('id', 'id'),
      field('user_id', 'customer_id'),
      field('status', 'status'),
      field('currency', 'currency'),
      field('name', 'name'),
      field('balance', 'balance'),
      field('opened_at', 'created_at'),
      field('updated_at', 'updated_at'),
      field('closed_at', 'closed_at'),
    ],
  },
  orders: {
    table: 'orders',
    dataset: { type: 'fact', fact: { primary_key_column: 'id', created_at_column: 'created_at' } },
    mappings: [
      field('id', 'id'),
      field('user_id', 'customer_id'),
      field('created_at', 'created_at'),
      field('total', 'amount'),
      field('currency', 'currency'),
      field('status', 'status'),
      field('items', 'items'),
    ],
  },
};
