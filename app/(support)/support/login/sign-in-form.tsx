'use client';

import { useActionState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, fieldIds, inputClassName } from '@/components/ui/field';
import { signInToSupport } from './actions';

export function SignInForm() {
  const [state, signIn, pending] = useActionState(signInToSupport, { error: null, email: '' });
  return (
    <form action={signIn} className="flex flex-col gap-4">
      <Field name="email" label="Staff email">
        <input
          id={fieldIds('email').control}
          name="email"
          type="email"
          autoComplete="username"
          className={inputClassName}
          defaultValue={state.email}
          key={state.email}
          required
        />
      </Field>
      <Field name="password" label="Support password">
        <input
          id={fieldIds('password').control}
          name="password"
          type="password"
          autoComplete="current-password"
          className={inputClassName}
          required
        />
      </Field>
      {state.error ? (
        <p role="alert" className="text-sm text-danger">
          {state.error}
        </p>
      ) : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? 'Signing in…' : 'Sign in'}
        </Button>
      </div>
    </form>
  );
}
