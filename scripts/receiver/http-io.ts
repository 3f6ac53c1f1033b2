// Small node:http helpers for the receiver: bounded body reads, JSON answers, and a streamed filler
// body.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`The request body is over ${limit} bytes.`);
    this.name = 'BodyTooLarge';
  }
}

/** The whole body, or BodyTooLarge as soon as it passes `limit` (the rest is never buffered). */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks, size)));
    request.on('error', reject);
    // 'aborted' without 'error' happens on some Node versions when the client goes away mid-body.
    request.on('aborted', () =>
      reject(new Error('The client closed the connection before sending the whole body.')),
    );
  });
}

/**
 * False once the client is gone (or the receiver stopped), so late answers are skipped rather than
 * thrown.
 */
export const canAnswer = (response: ServerResponse) =>
  !response.destroyed && !response.writableEnded && !response.headersSent;

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (!canAnswer(response)) return;
  if (status === 204 || status === 304) {
    response.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    })
    .end(text);
}

const FILLER = Buffer.alloc(64 * 1024, 'x');

/**
 * Streams `bytes` of filler, chunked (no Content-Length), honouring backpressure and stopping when
 * the client leaves: a client that caps what it reads must do it while reading, not by trusting a
 * declared length.
 */
export function streamFiller(
  response: ServerResponse,
  status: number,
  bytes: number,
  headers: Record<string, string> = {},
) {
  if (!canAnswer(response)) return;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  let left = bytes;
  const pump = () => {
    while (left > 0 && !response.destroyed) {
      const chunk = left >= FILLER.length ? FILLER : FILLER.subarray(0, left);
      left -= chunk.length;
      if (!response.write(chunk)) {
        response.once('drain', pump);
        return;
      }
    }
    if (!response.destroyed) response.end();
  };
  pump();
}
