// Guards the receiver's trust anchor: the engine's public key, fetched from its public endpoint and
// checked to be RSA.
import { z } from 'zod';

export const PUBLIC_KEY_PATH = '/public/signatures/webhook-public-key';

const PublicKeyResponseSchema = z.object({
  data: z.object({ public_key: z.string().min(1).max(20_000) }),
});

/** The engine's PEM; no API key is needed (the contract makes this endpoint public). */
export async function fetchEnginePublicKey(engineUrl: string, timeoutMs = 10_000): Promise<string> {
  // Relative to the base, so an engine mounted under a path prefix keeps it.
  const url = new URL(
    PUBLIC_KEY_PATH.slice(1),
    engineUrl.endsWith('/') ? engineUrl : `${engineUrl}/`,
  );
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    throw new Error(
      `Cannot reach the engine at ${url.origin} to fetch its public key: ` +
        `${error instanceof Error ? error.message : String(error)}${cause}.`,
    );
  }
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `The engine answered ${response.status} to GET ${url.pathname}; is ${url.origin} an Inlet ` +
        `engine?`,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`GET ${url.href} did not answer JSON.`);
  }
  const parsed = PublicKeyResponseSchema.safeParse(body);
  if (!parsed.success)
    throw new Error(`GET ${url.href} did not answer {"data":{"public_key":"<PEM>"}}.`);
  return parsed.data.data.public_key;
}
