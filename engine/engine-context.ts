// What every handler may use; built once in main.ts (or by a test) and passed down explicitly.
import type { Logger } from './logger';
import type { HostProbe, Lookup } from './net/host-probe';
import type { SecretBox } from './secrets/secret-box';
import type { Db } from './store/db';

export interface EngineContext {
  db: Db;
  secretBox: SecretBox;
  logger: Logger;
  probeHost: HostProbe;
  /** Resolves customer-supplied host names (injectable: tests never ask DNS). */
  lookup: Lookup;
  /** Whether customer hosts may resolve to loopback/private/link-local addresses (embedded default and tests only). */
  allowPrivateHosts: boolean;
  /** The engine's own data directory (local datalakes live below it). */
  dataDir: string;
  /** Base URL callers reach the engine at, for next_url; derived from each request when unset. */
  publicUrl?: string;
}

export interface Actor {
  actor_id: string;
  type: 'unknown' | 'user' | 'api_key' | 'provider';
}

/** (ext) Who acted and why, as the caller said in X-Inlet-Actor / X-Inlet-Reason; stored with the audit entry. */
export interface AuditNote {
  actor_label: string | null;
  reason: string | null;
}

export type RequestVariables = { actor: Actor; auditNote: AuditNote };
