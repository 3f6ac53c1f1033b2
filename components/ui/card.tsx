import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';

type CardProps = ComponentProps<'div'> & { as?: 'div' | 'section' | 'article' };

// The card owns the vertical rhythm (padding and gap), its parts only the horizontal padding,
// so no caller needs to override a padding class (cn() does not resolve conflicts).
export function Card({ as: Element = 'div', className, ...props }: CardProps) {
  return (
    <Element
      className={cn(
        'flex flex-col gap-5 rounded-xl border bg-card py-5 text-card-foreground ' +
          'shadow-[0_1px_2px_rgb(15_23_42/0.05)] sm:py-6',
        className,
      )}
      {...props}
    />
  );
}

export function CardHeader({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('flex flex-col gap-1 px-5 sm:px-6', className)} {...props} />;
}

type CardTitleProps = ComponentProps<'h2'> & { as?: 'h2' | 'h3' | 'h4' };

export function CardTitle({ as: Heading = 'h2', className, ...props }: CardTitleProps) {
  return (
    <Heading
      className={cn('text-base font-semibold leading-6 tracking-tight', className)}
      {...props}
    />
  );
}

export function CardDescription({ className, ...props }: ComponentProps<'p'>) {
  return <p className={cn('text-sm leading-6 text-muted-foreground', className)} {...props} />;
}

export function CardContent({ className, ...props }: ComponentProps<'div'>) {
  return <div className={cn('px-5 sm:px-6', className)} {...props} />;
}

export function CardFooter({ className, ...props }: ComponentProps<'div'>) {
  return (
    <div
      className={cn(
        'flex flex-wrap items-center gap-3 border-t px-5 pt-4 text-sm text-muted-foreground ' +
          'sm:px-6 sm:pt-5',
        className,
      )}
      {...props}
    />
  );
}
