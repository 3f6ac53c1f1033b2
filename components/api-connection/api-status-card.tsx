import Link from 'next/link';
import type { ReactNode } from 'react';
import type { ApiStatus, PrequelErrorCode, PrequelResult } from '@/lib/prequel/client';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { buttonVariants } from '@/components/ui/button';
import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from '@/components/ui/card';
import { TextWithCode } from '@/components/ui/text-with-code';

const TITLE_ID = 'api-status-title';

const failureBadges: Record<PrequelErrorCode, { tone: BadgeTone; label: string }> = {
  not_configured: { tone: 'warning', label: 'Not configured' },
  unreachable: { tone: 'danger', label: 'Not reachable' },
  unauthorized: { tone: 'danger', label: 'Key refused' },
  forbidden: { tone: 'danger', label: 'Not allowed' },
  not_found: { tone: 'danger', label: 'Not found' },
  conflict: { tone: 'danger', label: 'Conflict' },
  invalid_request: { tone: 'danger', label: 'Request refused' },
  rate_limited: { tone: 'warning', label: 'Rate limited' },
  not_supported: { tone: 'warning', label: 'Not supported' },
  invalid_response: { tone: 'danger', label: 'Unexpected answer' },
  api_error: { tone: 'danger', label: 'Error' },
};

function StatusCardFrame({
  badge,
  children,
  footer,
}: {
  badge: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <Card as="section" aria-labelledby={TITLE_ID}>
      <CardHeader>
        <div className="flex items-start justify-between gap-4">
          <CardTitle id={TITLE_ID} className="min-w-0">
            Import API connection
          </CardTitle>
          <div className="pt-0.5">{badge}</div>
        </div>
        <CardDescription>Every source, dataset and stream goes through this API.</CardDescription>
      </CardHeader>
      <CardContent>{children}</CardContent>
      {footer ? <CardFooter>{footer}</CardFooter> : null}
    </Card>
  );
}

/**
 * Checks the Import API on every request and says what to do when it cannot be used. The caller
 * passes the check, guarded for who may see it: the API's address is configuration.
 */
export async function ApiStatusCard({ check }: { check: () => Promise<PrequelResult<ApiStatus>> }) {
  const status = await check();

  if (!status.ok) {
    const badge = failureBadges[status.error.code];
    const label =
      status.error.code === 'api_error' && status.error.status
        ? `Error ${status.error.status}`
        : badge.label;
    return (
      <StatusCardFrame
        badge={<Badge tone={badge.tone}>{label}</Badge>}
        footer={
          <Link
            href="/"
            prefetch={false}
            className={buttonVariants({ variant: 'outline', size: 'sm' })}
          >
            Check again
          </Link>
        }
      >
        <p className="text-sm leading-6">
          <TextWithCode text={status.error.message} />
        </p>
      </StatusCardFrame>
    );
  }

  const { url, service, version } = status.data;
  return (
    <StatusCardFrame badge={<Badge tone="success">Connected</Badge>}>
      <p className="text-sm leading-6">
        Connected to <span className="break-all font-mono text-[0.9em]">{url}</span>
      </p>
      {service ? (
        <dl className="mt-4 grid grid-cols-[auto_1fr] items-baseline gap-x-6 gap-y-1.5 text-sm">
          <dt className="text-muted-foreground">Service</dt>
          <dd className="font-mono text-[0.9em]">{service}</dd>
          {version ? (
            <>
              <dt className="text-muted-foreground">Version</dt>
              <dd className="font-mono text-[0.9em]">{version}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </StatusCardFrame>
  );
}

export function ApiStatusCardPending() {
  return (
    <StatusCardFrame badge={<Badge tone="neutral">Checking</Badge>}>
      <p className="text-sm leading-6 text-muted-foreground">Checking the connection…</p>
    </StatusCardFrame>
  );
}
