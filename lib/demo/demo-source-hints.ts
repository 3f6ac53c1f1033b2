// The demo database's fixed credentials, shown as hints on the connect form (demo mode only).
import 'server-only';
import { z } from 'zod';
import { demoModeEnabled, getAppEnv } from '@/lib/env';

const HintsSchema = z.object({
  host: z.string(),
  port: z.number(),
  database: z.string(),
  username: z.string(),
  password: z.string(),
  disable_ssl: z.boolean().optional(),
});
export type DemoSourceHints = z.infer<typeof HintsSchema>;

export function demoSourceHints(): DemoSourceHints | null {
  const source = getAppEnv().DEMO_SOURCE;
  if (!demoModeEnabled() || !source) return null;
  try {
    return HintsSchema.parse(JSON.parse(source));
  } catch {
    return null;
  }
}
