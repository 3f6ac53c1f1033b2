import type { ReactNode } from 'react';
import { SlimFrame } from '@/components/slim-frame';
import { SignOutButton } from '@/components/session/sign-out-button';
import { CloseEmbedButton } from '@/components/wizard/close-embed-button';
import { getSession } from '@/lib/session/session';

// What the customer sees inside the SaaS (often in an iframe): a slim bar, no site navigation.
export default async function EmbeddedLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  const actions = (
    <div className="ml-auto flex items-center gap-1">
      {session ? <SignOutButton /> : null}
      <CloseEmbedButton />
    </div>
  );
  return (
    <SlimFrame title="Data import" width="max-w-4xl" actions={actions}>
      {children}
    </SlimFrame>
  );
}
