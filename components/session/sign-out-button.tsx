import { signOut } from '@/lib/actions/sign-out';
import { cn } from '@/lib/utils';

/** A form, so signing out works before any script has loaded. */
export function SignOutButton() {
  return (
    <form action={signOut}>
      <button
        type="submit"
        className={cn(
          'rounded-md px-2 py-1 text-sm font-medium text-muted-foreground',
          'hover:bg-muted hover:text-foreground',
        )}
      >
        Sign out
      </button>
    </form>
  );
}
