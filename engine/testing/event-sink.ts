// An operator's monitoring endpoint for tests: a local server that keeps every event posted to it
// (a /webhooks subscription's generic_post target).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MonitoringEvent {
  type: string;
  data: Record<string, unknown>;
}

export interface EventSink {
  url: string;
  events: MonitoringEvent[];
  /** The first event of `type` about the stream, waiting up to 10 s for it. */
  eventFor(type: string, streamId: string): Promise<MonitoringEvent>;
  close(): void;
}

export async function startEventSink(): Promise<EventSink> {
  const events: MonitoringEvent[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      events.push(JSON.parse(body) as MonitoringEvent);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    events,
    async eventFor(type, streamId) {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
        const event = events.find(
          (candidate) => candidate.type === type && candidate.data.stream_id === streamId,
        );
        if (event) return event;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(
        `no ${type} event for stream ${streamId}; got ` +
          `${JSON.stringify(events.map((event) => event.type))}`,
      );
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
