import type { Metadata } from 'next';
import { SignInForm } from './sign-in-form';

export const metadata: Metadata = { title: 'Support sign-in' };

export default async function SupportSignIn({
  searchParams,
}: {
  searchParams: Promise<{ signed_out?: string }>;
}) {
  const { signed_out: signedOut } = await searchParams;
  return (
    <div className="mx-auto w-full max-w-md px-5 py-16">
      <h1 className="text-2xl font-semibold tracking-tight">Support console</h1>
      <p className="mt-3 text-sm leading-6 text-muted-foreground">
        Sign in with your staff account, or open the console from the link your product gives staff.
      </p>
      {signedOut ? (
        <p role="status" className="mt-4 text-sm">
          You are signed out.
        </p>
      ) : null}
      <div className="mt-8">
        <SignInForm />
      </div>
    </div>
  );
}
