// What every handler may use, and how it is built (once, by createEngine or a benchmark); passed
// down explicitly.
import type { Logger } from './logger';
import { createHostProbe, type HostProbe, type Lookup } from './net/host-probe';
import { createSecretBox, type SecretBox } from './secrets/secret-box';
import type { Db } from './store/db';

export interface EngineContext {
  db: Db;
  secretBox: SecretBox;
  logger: Logger;
  probeHost: HostProbe;
  /** Resolves customer-supplied host names (injectable: tests never ask DNS). */
  lookup: Lookup;
  /**
   * Whether customer hosts may resolve to loopback/private/link-local addresses (embedded default
   * and tests only).
   */
  allowPrivateHosts: boolean;
  /** The engine's own data directory (local datalakes live below it). */
  dataDir: string;
  /** Base URL callers reach the engine at, for next_url; derived from each request when unset. */
  publicUrl?: string;
}

/** What the context is built from. */
export interface ContextSettings {
  /** A migrated database; the pool stays the caller's to end. */
  db: Db;
  logger: Logger;
  /** The key that seals the secrets saved in the database (INLET_ENCRYPTION_KEY). */
  encryptionKey: Buffer;
  /** Resolves customer host names, for connections and the host probe alike. */
  lookup: Lookup;
  allowPrivateHosts: boolean;
  dataDir: string;
  publicUrl?: string;
  /**
   * Parts of the context a test replaces (another engine's secret box, a host probe of its own).
   */
  context?: Partial<EngineContext>;
}

/**
 * The context every handler is given (createEngine builds it; a benchmark that runs one job needs
 * no more).
 */
export function createEngineContext(settings: ContextSettings): EngineContext {
  return {
    db: settings.db,
    logger: settings.logger,
    secretBox: createSecretBox(settings.encryptionKey),
    probeHost: createHostProbe(settings.lookup),
    lookup: settings.lookup,
    allowPrivateHosts: settings.allowPrivateHosts,
    dataDir: settings.dataDir,
    publicUrl: settings.publicUrl,
    ...settings.context,
  };
}

export interface Actor {
  actor_id: string;
  type: 'unknown' | 'user' | 'api_key' | 'provider';
}

/**
 * (ext) Who acted and why, as the caller said in X-Inlet-Actor / X-Inlet-Reason; stored with the
 * audit entry.
 */
export interface AuditNote {
  actor_label: string | null;
  reason: string | null;
}

export type RequestVariables = { actor: Actor; auditNote: AuditNote };
