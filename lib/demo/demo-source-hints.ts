// The demo database's fixed credentials, shown as hints on the connect form (demo mode only).
import 'server-only';
import { z } from 'zod';
import { demoModeEnabled } from '@/lib/demo-mode';

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
  if (!demoModeEnabled() || !process.env.DEMO_SOURCE) return null;
  try {
    return HintsSchema.parse(JSON.parse(process.env.DEMO_SOURCE));
  } catch {
    return null;
  }
}
