// The demo process `npm start` runs next to the engine and the app (see start-demo.ts); stops on
// SIGINT/SIGTERM.
import { z } from 'zod';
import {
  DEFAULT_CONTROL_PORT,
  DEFAULT_LARGE_TABLE_ROWS,
  DEFAULT_RECEIVER_PORT,
  DEFAULT_SIMULATOR_EVERY_MS,
  DEFAULT_SLOW_LATENCY_MS,
} from './demo-defaults';
import { startDemo } from './start-demo';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

const EnvSchema = z.object({
  PREQUEL_API_URL: z.url({ protocol: /^https?$/ }),
  PREQUEL_API_KEY: z.string().min(1),
  /**
   * A superuser URL of the Postgres server for the demo's source databases (npm start passes its
   * own).
   */
  DEMO_PG_ADMIN_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  DEMO_CONTROL_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  RECEIVER_PORT: port(DEFAULT_RECEIVER_PORT),
  DEMO_CONTROL_PORT: port(DEFAULT_CONTROL_PORT),
  DEMO_SIMULATOR_EVERY_MS: z.coerce.number().int().min(0).default(DEFAULT_SIMULATOR_EVERY_MS),
  DEMO_SLOW_LATENCY_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(120_000)
    .default(DEFAULT_SLOW_LATENCY_MS),
  DEMO_LARGE_TABLE_ROWS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000_000)
    .default(DEFAULT_LARGE_TABLE_ROWS),
});

const parsed = EnvSchema.safeParse(process.env);
if (!parsed.success) {
  console.error(`demo: the environment is incomplete:\n${z.prettifyError(parsed.error)}`);
  process.exit(1);
}
const env = parsed.data;

try {
  const demo = await startDemo({
    api: { url: env.PREQUEL_API_URL, apiKey: env.PREQUEL_API_KEY },
    pgAdminUrl: env.DEMO_PG_ADMIN_URL,
    controlToken: env.DEMO_CONTROL_TOKEN,
    receiverPort: env.RECEIVER_PORT,
    controlPort: env.DEMO_CONTROL_PORT,
    simulatorEveryMs: env.DEMO_SIMULATOR_EVERY_MS,
    slowLatencyMs: env.DEMO_SLOW_LATENCY_MS,
    largeTableRows: env.DEMO_LARGE_TABLE_ROWS,
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 8000);
    force.unref();
    demo.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  // Start-up problems (a port in use, the engine not answering) are for the user to fix: no stack
  // trace.
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
