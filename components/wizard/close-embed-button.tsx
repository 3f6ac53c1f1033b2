'use client';

import { useSyncExternalStore } from 'react';
import { postEmbedEvent } from './embed-events';

const framed = () => window.parent !== window;

/**
 * Inside a host page's frame, "Close" tells the host to close the import (the host decides how).
 */
export function CloseEmbedButton() {
  const inFrame = useSyncExternalStore(
    () => () => {},
    framed,
    () => false,
  );
  if (!inFrame) return null;
  return (
    <button
      type="button"
      className="rounded-md px-2 py-1 text-sm font-medium text-muted-foreground hover:bg-muted"
      onClick={() => postEmbedEvent({ type: 'inlet:closed' })}
    >
      Close
    </button>
  );
}
