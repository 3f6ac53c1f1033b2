'use client';

import { useEffect, useState } from 'react';

/** The wizard in an iframe, as a host page embeds it, with the events it posts to its parent. */
export function EmbedFrame({ src }: { src: string }) {
  const [events, setEvents] = useState<string[]>([]);
  useEffect(() => {
    const listen = (event: MessageEvent) => {
      if (event.origin !== window.location.origin) return;
      setEvents((current) => [...current, JSON.stringify(event.data)]);
    };
    window.addEventListener('message', listen);
    return () => window.removeEventListener('message', listen);
  }, []);
  return (
    <div className="flex flex-col gap-4">
      <iframe
        title="Data import"
        src={src}
        className="h-[52rem] w-full rounded-xl border bg-background"
      />
      <section aria-labelledby="events-title">
        <h2 id="events-title" className="text-sm font-semibold">
          Events posted to this page
        </h2>
        <ol className="mt-2 flex flex-col gap-1 font-mono text-xs text-muted-foreground">
          {events.length ? (
            events.map((event, index) => <li key={index}>{event}</li>)
          ) : (
            <li>None yet.</li>
          )}
        </ol>
      </section>
    </div>
  );
}
