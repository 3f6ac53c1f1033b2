import { cn } from '@/lib/utils';

/**
 * The Inlet mark: data arriving in a tray. Decorative; the wordmark next to it names the product.
 */
export function InletLogo({ className }: { className?: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
      className={cn('size-7', className)}
    >
      <rect width="24" height="24" rx="6" className="fill-primary" />
      <g
        fill="none"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="stroke-primary-foreground"
      >
        <path d="M12 5.5v7.5" />
        <path d="M8.75 9.75 12 13l3.25-3.25" />
        <path d="M6.5 14v2a1.5 1.5 0 0 0 1.5 1.5h8a1.5 1.5 0 0 0 1.5-1.5v-2" />
      </g>
    </svg>
  );
}
