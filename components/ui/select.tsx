// A native select in the inputs' style: the browser keeps its keyboard, mobile picker and
// screen-reader behaviour.
import type { ComponentProps } from 'react';
import { cn } from '@/lib/utils';
import { inputClassName } from './field';

export type SelectOption = { value: string | number; label: string };

type SelectProps = Omit<ComponentProps<'select'>, 'children'> & {
  options: readonly SelectOption[];
};

export function Select({ options, className, ...props }: SelectProps) {
  return (
    <select className={cn(inputClassName, className)} {...props}>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}
