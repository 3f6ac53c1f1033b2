import type { ReactNode } from 'react';
import { cn } from '@/lib/utils';

/** Ids that tie a control to its description and error, for aria-describedby. */
export function fieldIds(name: string) {
  const base = `field-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  return { control: base, description: `${base}-description`, error: `${base}-error` };
}

export function describedBy(
  name: string,
  { description, error }: { description?: boolean; error?: boolean },
) {
  const ids = fieldIds(name);
  return (
    [description ? ids.description : null, error ? ids.error : null].filter(Boolean).join(' ') ||
    undefined
  );
}

type FieldProps = {
  name: string;
  label: string;
  description?: ReactNode;
  error?: string;
  className?: string;
  children: ReactNode;
  optional?: boolean;
};

/**
 * A label, the control, a description and an error that screen readers announce with the control.
 */
export function Field({
  name,
  label,
  description,
  error,
  className,
  optional,
  children,
}: FieldProps) {
  const ids = fieldIds(name);
  return (
    <div className={cn('flex flex-col gap-1.5', className)}>
      <label htmlFor={ids.control} className="text-sm font-medium">
        {label}
        {optional ? <span className="font-normal text-muted-foreground"> (optional)</span> : null}
      </label>
      {children}
      {description ? (
        <p id={ids.description} className="text-xs leading-5 text-muted-foreground">
          {description}
        </p>
      ) : null}
      {error ? (
        <p id={ids.error} className="text-sm leading-5 text-danger" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export const inputClassName =
  'h-10 w-full rounded-lg border bg-card px-3 text-sm shadow-xs outline-none transition-colors ' +
  'placeholder:text-muted-foreground focus-visible:border-ring aria-[invalid=true]:border-danger';
