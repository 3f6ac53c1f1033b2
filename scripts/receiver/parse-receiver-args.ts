// Pure: the receiver command line → receiver options, or a message saying what is wrong.
import { z } from 'zod';
import { parseFlags } from '../lib/parse-flags';
import { DEFAULT_TOLERANCE_SECONDS } from './verify-delivery';

export const USAGE = `Usage:
  npm run receiver -- (--engine-url <url> | --public-key-file <pem>) [options]

  --engine-url <url>         the engine (http://127.0.0.1:4100): its public key is fetched
                             once at start, and batch files may be downloaded from its host
  --public-key-file <path>   the engine's public key as PEM, instead of fetching it
  --port <n>                 port on 127.0.0.1 (default 4200; 0 picks a free one)
  --tolerance <seconds>      accepted clock difference of X-Prequel-Webhook-Timestamp
                             (default ${DEFAULT_TOLERANCE_SECONDS})
  --download-host <host>     another host batch files may be downloaded from
                             (an S3-compatible datalake); repeatable
  --help                     show this text

Read:    GET  /_receiver/records?provider=&path=&key=&latest=true&after=&limit=  (oldest first)
         GET  /_receiver/records?order=desc&before=&limit=                         (newest first)
         GET  /_receiver/stats | /_receiver/providers | /_receiver/deliveries
         GET  /_receiver/rejections | /_receiver/control
Control: POST /_receiver/control
           {"sequence":[500,{"status":429,"retryAfter":7},{"kind":"drop"}], "then":200,
            "latencyMs":50, "rejectRecords":[{"field":"id","equals":"13"}],
            "routes":[{"provider":"acme","pathPrefix":"/saas/","then":500}]}
         POST /_receiver/reset`;

export interface ReceiverCliArgs {
  port: number;
  engineUrl?: string;
  publicKeyFile?: string;
  toleranceSeconds: number;
  downloadHosts: string[];
}

export type ParseResult =
  | { ok: true; value: { help: true } | ({ help: false } & ReceiverCliArgs) }
  | { ok: false; error: string };

const wholeNumber = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${flag} must be a whole number`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${flag} must be at least ${min}`)
        .max(max, `${flag} must be at most ${max}`),
    );

const FlagsSchema = z.object({
  port: wholeNumber('--port', 0, 65_535).default(4200),
  'engine-url': z
    .url({ protocol: /^https?$/, error: '--engine-url must be an http(s) URL' })
    .optional(),
  'public-key-file': z.string().min(1).optional(),
  tolerance: wholeNumber('--tolerance', 1, 86_400).default(DEFAULT_TOLERANCE_SECONDS),
  'download-host': z
    .array(
      z
        .string()
        .regex(
          /^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i,
          '--download-host must be a host name or address, without scheme or port',
        ),
    )
    .default([]),
});

export function parseReceiverArgs(argv: readonly string[]): ParseResult {
  const parsed = parseFlags(
    argv,
    {
      port: { type: 'string' },
      'engine-url': { type: 'string' },
      'public-key-file': { type: 'string' },
      tolerance: { type: 'string' },
      'download-host': { type: 'string', multiple: true },
    },
    FlagsSchema,
  );
  if (!parsed.ok) return parsed;
  if (parsed.help) return { ok: true, value: { help: true } };
  const flags = parsed.flags;
  if (!flags['engine-url'] && !flags['public-key-file'])
    return {
      ok: false,
      error: 'Give --engine-url (to fetch the public key) or --public-key-file.',
    };
  return {
    ok: true,
    value: {
      help: false,
      port: flags.port,
      engineUrl: flags['engine-url'],
      publicKeyFile: flags['public-key-file'],
      toleranceSeconds: flags.tolerance,
      downloadHosts: flags['download-host'],
    },
  };
}
