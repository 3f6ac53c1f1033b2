// Test helper: an HTTP proxy in front of the test S3 server that records every request and answers
// chosen ones with an S3 error (500, 503 SlowDown...), to prove retries and that a failed upload
// leaves nothing visible.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The Content-Length the client declared (S3 refuses a body shorter than that). */
  contentLength: number | null;
}

export type FaultRule = (request: ProxiedRequest) => { status: number; code: string } | null;

export async function startS3FaultProxy(target: string) {
  const requests: ProxiedRequest[] = [];
  let rule: FaultRule = () => null;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const declared = req.headers['content-length'];
    const request = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      contentLength: declared === undefined ? null : Number(declared),
    };
    requests.push(request);
    const fault = rule(request);
    if (fault) {
      req.resume();
      req.on('end', () => {
        res.writeHead(fault.status, { 'content-type': 'application/xml' });
        res.end(
          `<?xml version="1.0" ` +
            `encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>injected by the ` +
            `test</Message></Error>`,
        );
      });
      return;
    }
    const upstream = http.request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    setFault(next: FaultRule) {
      rule = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
