import type { Metadata } from 'next';
import { SignInForm } from '@/components/support/sign-in-form';

export const metadata: Metadata = { title: 'Support sign-in' };

export default function SupportSignIn() {
  return (
    <div className="mx-auto w-full max-w-md px-5 py-16">
      <h1 className="text-2xl font-semibold tracking-tight">Support console</h1>
      <p className="mt-3 text-sm leading-6 text-muted-foreground">Sign in with the support password, or open the console from the link your product gives staff.</p>
      <div className="mt-8">
        <SignInForm />
      </div>
    </div>
  );
}
