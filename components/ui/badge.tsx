import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';

const tones = {
  neutral: 'border-border bg-muted text-muted-foreground',
  success: 'border-success-border bg-success-soft text-success',
  warning: 'border-warning-border bg-warning-soft text-warning',
  danger: 'border-danger-border bg-danger-soft text-danger',
} as const;

export type BadgeTone = keyof typeof tones;

type BadgeProps = ComponentProps<'span'> & { tone?: BadgeTone };

/** A short status label; the dot repeats the colour, the text carries the meaning. */
export function Badge({ tone = 'neutral', className, children, ...props }: BadgeProps) {
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center gap-1.5 whitespace-nowrap rounded-full border px-2.5 ' +
          'py-0.5 text-xs font-medium leading-5',
        tones[tone],
        className,
      )}
      {...props}
    >
      <span aria-hidden="true" className="size-1.5 rounded-full bg-current" />
      {children}
    </span>
  );
}
