// POST /api/embed/sessions: the host's backend mints a short-lived invite for one provider (or a
// support session).
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { getAppEnv, getSessionEnv } from '@/lib/env';
import { getProvider } from '@/lib/prequel/providers';
import { mintInvite } from '@/lib/session/mint-invite';
import { SESSION_ROLES, SESSION_SCOPES } from '@/lib/session/session-token';

const MintRequestSchema = z
  .object({
    provider_id: z.string().min(1).optional(),
    role: z.enum(SESSION_ROLES).default('customer'),
    scope: z.enum(SESSION_SCOPES).default('full'),
    actor: z.string().max(200).optional(),
    /** Where the invite lands: the wizard (default) or the status page. */
    return_to: z.enum(['connect', 'status', 'support']).optional(),
  })
  .refine((body) => body.role !== 'customer' || body.provider_id !== undefined, {
    path: ['provider_id'],
    message: 'A customer session needs the provider it is for.',
  });

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });

/**
 * Where the browser reaches the app: INLET_APP_URL behind a proxy, else the address the host's
 * backend called.
 */
function appOrigin(request: Request): string {
  const { INLET_APP_URL } = getAppEnv();
  if (INLET_APP_URL) return INLET_APP_URL;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  const protocol = request.headers.get('x-forwarded-proto') ?? 'http';
  return host ? `${protocol}://${host}` : request.url;
}

function presentedSecretMatches(request: Request, secret: string): boolean {
  const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
  const a = Buffer.from(presented);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function POST(request: Request) {
  const env = getSessionEnv();
  if (!env.ok) return json(503, { status: 'error', message: env.message });
  if (!presentedSecretMatches(request, env.data.INLET_EMBED_SECRET)) {
    return json(
      401,
      {
        status: 'error',
        message: 'Send `Authorization: Bearer <INLET_EMBED_SECRET>` from your backend.',
      },
      { 'WWW-Authenticate': 'Bearer' },
    );
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json(400, {
      status: 'error',
      message: 'The body must be JSON, e.g. {"provider_id":"acme"}.',
    });
  }
  const parsed = MintRequestSchema.safeParse(body);
  if (!parsed.success) {
    return json(400, {
      status: 'error',
      message: 'The request is invalid.',
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    });
  }
  const { provider_id: providerId, role, scope, actor, return_to: returnTo } = parsed.data;
  if (providerId !== undefined) {
    const provider = await getProvider(providerId);
    if (!provider.ok) {
      const status = provider.error.status === 404 ? 404 : 502;
      return json(status, {
        status: 'error',
        message:
          status === 404
            ? `No provider "${providerId}" exists in the Import API.`
            : provider.error.message,
      });
    }
  }
  const invite = mintInvite({ role, providerId: providerId ?? null, scope, actor: actor ?? null });
  if (!invite.ok) return json(503, { status: 'error', message: invite.message });
  const landing = returnTo ?? (role === 'support' ? 'support' : 'connect');
  const url = new URL(`/${landing}`, appOrigin(request));
  url.searchParams.set('session', invite.token);
  return json(201, {
    status: 'success',
    data: { token: invite.token, url: url.toString(), expires_at: invite.expiresAt.toISOString() },
  });
}
