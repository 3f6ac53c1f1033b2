import { reportUnexpected } from '@/lib/actions/customer-failure';
import type { PrequelError } from '@/lib/prequel/client';

const problems = {
  no_session: {
    title: 'Open this page from your account',
    body:
      'Data import is opened from inside the product you use. Go back there and choose ' +
      '“Import data” again; the link it opens signs you in here.',
  },
  expired: {
    title: 'This link has expired',
    body:
      'Links into data import work for ten minutes. Go back to the product you came from and ' +
      'open data import again for a fresh link.',
  },
  invalid: {
    title: 'This link is not valid',
    body:
      'The link may have been cut off when it was copied. Open data import again from the ' +
      'product you came from.',
  },
  signed_out: {
    title: 'You are signed out',
    body: 'To import data again, go back to the product you came from and open data import there.',
  },
  not_configured: {
    title: 'Data import is not set up yet',
    body:
      'The embed secrets are not configured on this server. Whoever runs Inlet should set ' +
      'INLET_SESSION_SECRET and INLET_EMBED_SECRET (npm start does it for you).',
  },
} as const;

export type SessionProblem = keyof typeof problems;

export function SessionRequired({ problem = 'no_session' }: { problem?: SessionProblem }) {
  const { title, body } = problems[problem];
  return (
    <div className="mx-auto w-full max-w-2xl px-5 py-16 sm:px-8">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-4 leading-7 text-muted-foreground">{body}</p>
    </div>
  );
}

/**
 * The Import API could not answer: say so. Staff see the detail; a customer sees a reference to
 * quote, and the detail (the API's address, what it said) goes to the server log under it.
 */
export function ApiUnavailable({
  error,
  audience = 'customer',
}: {
  error: PrequelError;
  audience?: 'customer' | 'support';
}) {
  const detail =
    audience === 'support'
      ? `Details: ${error.message}`
      : `Reference: ${reportUnexpected(error, 'page').reference}`;
  return (
    <div className="mx-auto w-full max-w-2xl px-5 py-16 sm:px-8" role="alert">
      <h1 className="text-2xl font-semibold tracking-tight">
        Data import is unavailable right now
      </h1>
      <p className="mt-4 leading-7 text-muted-foreground">
        Your saved work is safe. Try again in a minute; if it keeps happening, tell the team that
        runs this product.
      </p>
      <p className="mt-4 text-sm text-muted-foreground">{detail}</p>
    </div>
  );
}
