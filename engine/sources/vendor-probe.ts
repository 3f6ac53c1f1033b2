// What a database vendor contributes to the connection checklist; dns and tcp are the same for
// every vendor.
import type { StepResult } from './checklist';
import type { SourceTarget } from './source-target';
import type { TlsOutcome } from './tls-upgrade';

export interface VendorProbe<Session> {
  /** Negotiates TLS on a fresh socket the way the driver will, without signing in. */
  probeTls(target: SourceTarget): Promise<TlsOutcome>;
  /**
   * Signs in with the configured credentials; throws a SourceConnectError the customer can act on.
   */
  signIn(target: SourceTarget): Promise<{ session: Session; message: string }>;
  /**
   * What the signed-in user may read; throws a SourceConnectError when it cannot read what it
   * should.
   */
  checkPrivileges(session: Session, target: SourceTarget): Promise<StepResult>;
  close(session: Session): Promise<void>;
}
