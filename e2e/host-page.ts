// A stand-in for the SaaS's own page: serves an HTML page that frames the wizard and records its postMessage events.
import { createServer, type Server } from 'node:http';

const html = (src: string, appOrigin: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host app</title></head>
<body>
<main>
<h1>Acme's product</h1>
<iframe title="Data import" src="${src.replaceAll('"', '&quot;')}" style="width:100%;height:900px;border:0"></iframe>
<h2>Events from the wizard</h2>
<ol id="events"></ol>
</main>
<script>
window.addEventListener('message', (event) => {
  if (event.origin !== ${JSON.stringify(appOrigin)}) return;
  const item = document.createElement('li');
  item.textContent = JSON.stringify(event.data);
  document.getElementById('events').appendChild(item);
});
</script>
</body></html>`;

/** Listens on loopback (IPv4 and, when available, IPv6), so http://localhost:<port> reaches it whichever way it resolves. */
export async function startHostPage(
  port: number,
  appOrigin: string,
): Promise<{ setFrame(src: string): void; close(): Promise<void> }> {
  let frameSrc = 'about:blank';
  const handler = (_request: unknown, response: import('node:http').ServerResponse) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(html(frameSrc, appOrigin));
  };
  const servers: Server[] = [];
  for (const host of ['127.0.0.1', '::1']) {
    const server = createServer(handler);
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, host, () => resolve(true));
    });
    if (listening) servers.push(server);
  }
  if (!servers.length) throw new Error(`The host page could not listen on port ${port}.`);
  return {
    setFrame: (src) => {
      frameSrc = src;
    },
    close: () =>
      Promise.all(
        servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      ).then(() => undefined),
  };
}
