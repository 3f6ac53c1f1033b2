// The test-source core: runs dns → tcp → tls → auth → privileges against one configuration, reusing
// the vetted address.
import type { TestSourceResult } from '../../lib/prequel/contract/source-actions';
import { parseHost } from '../net/host-policy';
import { type ChecklistStep, redactSecrets, runChecklist } from './checklist';
import { openSocket } from './open-socket';
import { SourceConnectError } from './source-connect-error';
import {
  type DatabaseConnection,
  type DatabaseVendor,
  type HostPolicyContext,
  resolveTarget,
  type SourceTarget,
  VENDOR_LABEL,
} from './source-target';
import type { VendorProbe } from './vendor-probe';

export async function testConnection<Session>(
  vendor: DatabaseVendor,
  connection: DatabaseConnection,
  probe: VendorProbe<Session>,
  engine: HostPolicyContext,
): Promise<TestSourceResult> {
  // Each step runs only after the previous one passed, so these are set when a later step reads
  // them.
  let target: SourceTarget | null = null;
  let session: { value: Session } | null = null;
  const pinned = () => target!;

  const steps: ChecklistStep[] = [
    {
      name: 'dns',
      async run() {
        target = await resolveTarget(vendor, connection, engine);
        const isLiteral = parseHost(connection.host).kind === 'ip';
        return {
          status: 'passed',
          message: isLiteral
            ? `${connection.host} is the IP address ${target.address}; no lookup needed.`
            : `${connection.host} resolves to ${target.address}.`,
        };
      },
    },
    {
      name: 'tcp',
      async run() {
        (await openSocket(pinned())).destroy();
        return { status: 'passed', message: `Connected to ${connection.host}:${connection.port}.` };
      },
    },
    {
      name: 'tls',
      async run() {
        if (connection.disable_ssl) {
          return {
            status: 'skipped',
            message: 'TLS is disabled for this source (disable_ssl).',
            hint:
              'Without TLS the password and the data travel unencrypted: keep disable_ssl ' +
              'for private networks only.',
          };
        }
        const outcome = await probe.probeTls(pinned());
        if (!outcome.ok) throw new SourceConnectError(outcome.failure);
        return {
          status: 'passed',
          message:
            `The connection is encrypted (${outcome.protocol}); the server certificate is ` +
            `not verified.`,
        };
      },
    },
    {
      name: 'auth',
      async run() {
        const signedIn = await probe.signIn(pinned());
        session = { value: signedIn.session };
        return { status: 'passed', message: signedIn.message };
      },
    },
    {
      name: 'privileges',
      run: () => probe.checkPrivileges(session!.value, pinned()),
    },
  ];

  try {
    const result = await runChecklist(steps, {
      success:
        `All checks passed: ${VENDOR_LABEL[vendor]} at ` +
        `${connection.host}:${connection.port} is ready to import from.`,
    });
    return redactSecrets(result, [connection.password_auth.password]);
  } finally {
    const open = session as { value: Session } | null;
    if (open) await probe.close(open.value);
  }
}
