// Server environment, parsed once; a missing variable becomes a value the UI can explain, not a crash.
import 'server-only';
import { z } from 'zod';

export const DEFAULT_PREQUEL_API_URL = 'http://127.0.0.1:4100';

// An empty value in .env means "not set", so the default applies and a blank key counts as missing.
const emptyAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const serverEnvSchema = z.object({
  PREQUEL_API_URL: z
    .preprocess(emptyAsUnset, z.url({ protocol: /^https?$/ }).default(DEFAULT_PREQUEL_API_URL))
    .transform((url) => url.replace(/\/+$/, '')),
  PREQUEL_API_KEY: z.preprocess(emptyAsUnset, z.string()),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export type ServerEnvResult =
  | { ok: true; data: ServerEnv }
  | { ok: false; error: { code: 'not_configured'; message: string; variables: (keyof ServerEnv)[] } };

const whatToSet: Record<keyof ServerEnv, string> = {
  PREQUEL_API_URL: `set \`PREQUEL_API_URL\` to the http(s) address of the Import API (default ${DEFAULT_PREQUEL_API_URL})`,
  PREQUEL_API_KEY: 'set `PREQUEL_API_KEY` to the Import API key; `npm start` sets it for you',
};

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnvResult {
  const parsed = serverEnvSchema.safeParse(source);
  if (parsed.success) return { ok: true, data: parsed.data };

  const variables = [...new Set(parsed.error.issues.map((issue) => issue.path[0] as keyof ServerEnv))];
  const message = `Inlet is not configured: ${variables.map((name) => whatToSet[name]).join(', and ')}.`;
  return { ok: false, error: { code: 'not_configured', message, variables } };
}

let serverEnv: ServerEnvResult | undefined;

export function getServerEnv(): ServerEnvResult {
  serverEnv ??= parseServerEnv(process.env);
  return serverEnv;
}
