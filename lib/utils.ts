export type ClassValue = string | false | null | undefined;

/**
 * Joins class names, skipping falsy ones. It does not merge conflicting Tailwind utilities
 * (no tailwind-merge), so a caller's className should add to a primitive's classes, not fight them.
 */
export function cn(...classes: ClassValue[]): string {
  return classes.filter(Boolean).join(' ');
}
