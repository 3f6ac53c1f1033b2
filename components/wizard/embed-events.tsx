'use client';
// Tells the page that frames the wizard what happens in it (step changed, completed), and only that
// page.
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { WIZARD_STEPS } from '@/lib/wizard/steps';

export type EmbedEvent =
  | { type: 'inlet:step_changed'; step: string }
  | { type: 'inlet:completed' }
  | { type: 'inlet:closed' };

let allowedOrigins: readonly string[] = [];

export function postEmbedEvent(event: EmbedEvent) {
  if (typeof window === 'undefined' || window.parent === window) return;
  // postMessage drops a message whose target origin is not the parent's, so a foreign framer hears
  // nothing.
  for (const origin of allowedOrigins) window.parent.postMessage(event, origin);
}

export function EmbedEvents({ origins }: { origins: readonly string[] }) {
  const pathname = usePathname();
  const step = WIZARD_STEPS.find((candidate) => candidate.path === pathname)?.id;
  useEffect(() => {
    // The app's own pages may frame it too (the embedding example).
    allowedOrigins = [...new Set([window.location.origin, ...origins])];
  }, [origins]);
  useEffect(() => {
    if (step) postEmbedEvent({ type: 'inlet:step_changed', step });
  }, [step]);
  return null;
}
