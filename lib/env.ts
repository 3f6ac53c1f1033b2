// The app's environment, parsed once with zod and read only through here; a missing variable
// becomes a value the UI can explain, not a crash.
import 'server-only';
import { z } from 'zod';

// An empty value in .env means "not set", so the default applies and a blank key counts as
// missing: a copy of the fully commented .env.example behaves exactly like no .env.
const emptyAsUnset = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalText = z.preprocess(emptyAsUnset, z.string().optional());

const commaList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter(Boolean)
        : [],
    z.array(item),
  );

// --- The Import API ---

export const DEFAULT_PREQUEL_API_URL = 'http://127.0.0.1:4100';

const serverEnvSchema = z.object({
  PREQUEL_API_URL: z
    .preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).default(DEFAULT_PREQUEL_API_URL))
    .transform((url) => url.replace(/\/+$/, '')),
  PREQUEL_API_KEY: z.preprocess(emptyAsUnset, z.string()),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export type ServerEnvResult =
  | { ok: true; data: ServerEnv }
  | {
      ok: false;
      error: { code: 'not_configured'; message: string; variables: (keyof ServerEnv)[] };
    };

const whatToSet: Record<keyof ServerEnv, string> = {
  PREQUEL_API_URL:
    `set \`PREQUEL_API_URL\` to the http(s) address of the Import API (default ` +
    `${DEFAULT_PREQUEL_API_URL})`,
  PREQUEL_API_KEY: 'set `PREQUEL_API_KEY` to the Import API key; `npm start` sets it for you',
};

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnvResult {
  const parsed = serverEnvSchema.safeParse(source);
  if (parsed.success) return { ok: true, data: parsed.data };

  const variables = [
    ...new Set(parsed.error.issues.map((issue) => issue.path[0] as keyof ServerEnv)),
  ];
  const message =
    `Inlet is not configured: ` + `${variables.map((name) => whatToSet[name]).join(', and ')}.`;
  return { ok: false, error: { code: 'not_configured', message, variables } };
}

let serverEnv: ServerEnvResult | undefined;

export function getServerEnv(): ServerEnvResult {
  serverEnv ??= parseServerEnv(process.env);
  return serverEnv;
}

// --- Embed sessions: who may mint them, what signs them, who may frame the app ---

const origin = z.string().transform((value, context) => {
  try {
    const url = new URL(value);
    if (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.origin === value.replace(/\/+$/, '')
    )
      return url.origin;
  } catch {
    // reported below
  }
  context.addIssue({
    code: 'custom',
    message: `"${value}" is not an origin like https://app.example.com`,
  });
  return z.NEVER;
});

const sessionEnvSchema = z.object({
  /** Signs invites and session cookies; 32+ characters. */
  INLET_SESSION_SECRET: z.preprocess(
    emptyAsUnset,
    z.string().min(32, 'must be at least 32 characters'),
  ),
  /** The bearer secret the host's backend presents to POST /api/embed/sessions. */
  INLET_EMBED_SECRET: z.preprocess(
    emptyAsUnset,
    z.string().min(24, 'must be at least 24 characters'),
  ),
  /** Origins allowed to frame the app, comma-separated (the app's own origin always is). */
  INLET_EMBED_ORIGINS: commaList(origin),
  /** Minutes a session cookie lasts; invites last 10 minutes. */
  INLET_SESSION_MINUTES: z.preprocess(
    emptyAsUnset,
    z.coerce
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(8 * 60),
  ),
});

export type SessionEnv = z.infer<typeof sessionEnvSchema>;
export type SessionEnvResult = { ok: true; data: SessionEnv } | { ok: false; message: string };

export function parseSessionEnv(source: Record<string, string | undefined>): SessionEnvResult {
  const parsed = sessionEnvSchema.safeParse(source);
  if (parsed.success) return { ok: true, data: parsed.data };
  const problems = parsed.error.issues.map(
    (issue) => `\`${String(issue.path[0])}\` ${issue.message}`,
  );
  return {
    ok: false,
    message:
      `Embed sessions are not configured: ${problems.join('; ')}. \`npm start\` generates ` +
      `the secrets for you.`,
  };
}

let sessionEnv: SessionEnvResult | undefined;

export function getSessionEnv(): SessionEnvResult {
  sessionEnv ??= parseSessionEnv(process.env);
  return sessionEnv;
}

// --- The app's own settings: all optional, so reading them never fails ---

const appEnvSchema = z.object({
  /** The public address behind a proxy: invite URLs, and whether the cookie is the HTTPS one. */
  INLET_APP_URL: optionalText,
  /** Addresses Inlet connects to customer databases from, shown on the source step. */
  INLET_EGRESS_ADDRESSES: commaList(z.string()),
  /** Staff accounts for password sign-in, read by lib/support/staff-accounts. */
  INLET_SUPPORT_USERS: optionalText,
  /** Demo pages mint sessions for any provider: they exist only when this is exactly "true". */
  INLET_DEMO: optionalText.transform((value) => value === 'true'),
  /** The demo's services, which `npm start` runs and names here: control, receiver, source. */
  DEMO_CONTROL_URL: optionalText,
  DEMO_CONTROL_TOKEN: optionalText,
  DEMO_RECEIVER_URL: optionalText,
  /** The demo database's credentials as JSON, shown as hints on the source step. */
  DEMO_SOURCE: optionalText,
});

export type AppEnv = z.infer<typeof appEnvSchema>;

export function parseAppEnv(source: Record<string, string | undefined>): AppEnv {
  return appEnvSchema.parse(source);
}

let appEnv: AppEnv | undefined;

export function getAppEnv(): AppEnv {
  appEnv ??= parseAppEnv(process.env);
  return appEnv;
}

export function demoModeEnabled(): boolean {
  return getAppEnv().INLET_DEMO;
}
