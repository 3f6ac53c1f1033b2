// The embed-session settings, parsed once: who may mint sessions, what signs them, who may frame the app.
import { z } from 'zod';

const emptyAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const origin = z.string().transform((value, context) => {
  try {
    const url = new URL(value);
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value.replace(/\/+$/, '')) return url.origin;
  } catch {
    // reported below
  }
  context.addIssue({ code: 'custom', message: `"${value}" is not an origin like https://app.example.com` });
  return z.NEVER;
});

const sessionEnvSchema = z.object({
  /** Signs invites and session cookies; 32+ characters. */
  INLET_SESSION_SECRET: z.preprocess(emptyAsUnset, z.string().min(32, 'must be at least 32 characters')),
  /** The bearer secret the host's backend presents to POST /api/embed/sessions. */
  INLET_EMBED_SECRET: z.preprocess(emptyAsUnset, z.string().min(24, 'must be at least 24 characters')),
  /** Origins allowed to frame the app, comma-separated (the app's own origin always is). */
  INLET_EMBED_ORIGINS: z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : []),
    z.array(origin),
  ),
  /** Minutes a session cookie lasts; invites last 10 minutes. */
  INLET_SESSION_MINUTES: z.preprocess(emptyAsUnset, z.coerce.number().int().min(5).max(7 * 24 * 60).default(8 * 60)),
});

export type SessionEnv = z.infer<typeof sessionEnvSchema>;
export type SessionEnvResult = { ok: true; data: SessionEnv } | { ok: false; message: string };

export function parseSessionEnv(source: Record<string, string | undefined>): SessionEnvResult {
  const parsed = sessionEnvSchema.safeParse(source);
  if (parsed.success) return { ok: true, data: parsed.data };
  const problems = parsed.error.issues.map((issue) => `\`${String(issue.path[0])}\` ${issue.message}`);
  return { ok: false, message: `Embed sessions are not configured: ${problems.join('; ')}. \`npm start\` generates the secrets for you.` };
}

let cached: SessionEnvResult | undefined;

export function getSessionEnv(): SessionEnvResult {
  cached ??= parseSessionEnv(process.env);
  return cached;
}
