import type { ReactNode } from 'react';
import { SlimFrame } from '@/components/slim-frame';

export default function SupportLayout({ children }: { children: ReactNode }) {
  return (
    <SlimFrame title="Support console" width="max-w-6xl">
      {children}
    </SlimFrame>
  );
}
