import type { ReactNode } from 'react';
import { SlimFrame } from '@/components/slim-frame';
import { CloseEmbedButton } from '@/components/wizard/close-embed-button';

// What the customer sees inside the SaaS (often in an iframe): a slim bar, no site navigation.
export default function EmbeddedLayout({ children }: { children: ReactNode }) {
  return (
    <SlimFrame title="Data import" width="max-w-4xl" actions={<CloseEmbedButton />}>
      {children}
    </SlimFrame>
  );
}
