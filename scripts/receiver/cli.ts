// `npm run receiver -- --port 4200 --engine-url http://127.0.0.1:4100`: runs the reference receiver
// until Ctrl-C.
import { readFile } from 'node:fs/promises';
import { createReceiver } from './create-receiver';
import { parseReceiverArgs, USAGE } from './parse-receiver-args';

async function main(): Promise<number | null> {
  const parsed = parseReceiverArgs(process.argv.slice(2));
  if (!parsed.ok) {
    console.error(`receiver: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.value.help) {
    console.log(USAGE);
    return 0;
  }
  const { port, engineUrl, publicKeyFile, toleranceSeconds, downloadHosts } = parsed.value;
  const publicKeyPem = publicKeyFile ? await readFile(publicKeyFile, 'utf8') : undefined;
  const receiver = createReceiver({
    publicKeyPem,
    engineUrl,
    toleranceSeconds,
    download: { allowedHosts: downloadHosts },
  });
  const url = await receiver.start(port);
  console.log(
    `Receiver listening at ${url} (stats: ${url}/_receiver/stats, records: ` +
      `${url}/_receiver/records). Ctrl-C stops it.`,
  );

  const stop = () => {
    receiver.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return null;
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (error: unknown) => {
    // Start-up problems (no engine, a bad key file, a port in use) are for the user to fix: no
    // stack trace.
    console.error(`receiver: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
