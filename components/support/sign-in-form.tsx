'use client';

import { useActionState } from 'react';
import { signInToSupport } from '@/app/(support)/support/login/actions';
import { Button } from '@/components/ui/button';
import { Field, fieldIds, inputClassName } from '@/components/ui/field';

export function SignInForm() {
  const [state, signIn, pending] = useActionState(signInToSupport, { error: null, name: '' });
  return (
    <form action={signIn} className="flex flex-col gap-4">
      <Field name="name" label="Your name">
        <input id={fieldIds('name').control} name="name" autoComplete="name" className={inputClassName} defaultValue={state.name} key={state.name} required />
      </Field>
      <Field name="password" label="Support password">
        <input id={fieldIds('password').control} name="password" type="password" autoComplete="current-password" className={inputClassName} required />
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
