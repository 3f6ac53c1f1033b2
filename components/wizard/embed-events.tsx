'use client';
// Tells the page that frames the wizard what happens in it (step changed, completed, closed), and only that page.
import { useEffect } from 'react';

export type EmbedEvent = { type: 'inlet:step_changed'; step: string } | { type: 'inlet:completed' } | { type: 'inlet:closed' };

let allowedOrigins: readonly string[] = [];

export function postEmbedEvent(event: EmbedEvent) {
  if (typeof window === 'undefined' || window.parent === window) return;
  // postMessage drops a message whose target origin is not the parent's, so a foreign framer hears nothing.
  for (const origin of allowedOrigins) window.parent.postMessage(event, origin);
}

export function EmbedEvents({ origins, step }: { origins: readonly string[]; step?: string }) {
  useEffect(() => {
    allowedOrigins = origins;
  }, [origins]);
  useEffect(() => {
    if (step) postEmbedEvent({ type: 'inlet:step_changed', step });
  }, [step]);
  return null;
}
