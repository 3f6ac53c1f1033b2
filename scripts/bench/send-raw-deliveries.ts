// The load benchmark's baseline: requests rendered and signed beforehand, sent by a plain
// keep-alive HTTP loop.
import http from 'node:http';

export interface RawDelivery {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Sends every delivery with `concurrency` requests in flight; throws unless every answer is a 2xx.
 */
export async function sendRawDeliveries(
  deliveries: readonly RawDelivery[],
  concurrency: number,
): Promise<{ seconds: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const failures: string[] = [];
  const send = (delivery: RawDelivery) =>
    new Promise<void>((resolve) => {
      const request = http.request(
        delivery.url,
        {
          method: delivery.method,
          agent,
          headers: { ...delivery.headers, 'content-length': String(delivery.body.length) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status < 200 || status > 299)
              failures.push(`${status} ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`);
            resolve();
          });
        },
      );
      request.on('error', (error) => {
        failures.push(error.message);
        resolve();
      });
      request.end(delivery.body);
    });
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length) await send(deliveries[next++]!);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, deliveries.length) }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (failures.length)
    throw new Error(`${failures.length} raw deliveries failed, e.g. ${failures[0]}`);
  return { seconds };
}
