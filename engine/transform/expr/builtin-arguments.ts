// Argument checks for built-ins: a wrong type is the user's error, reported as a value, never a JS
// TypeError.
import { fail } from './runtime-context';
import { isInteger, isMap, typeName, type ExprMap } from './runtime';

export function expectString(functionName: string, value: unknown): string {
  if (typeof value !== 'string')
    fail(`invalid argument for ${functionName} (expected string, got ${typeName(value)})`);
  return value;
}

/**
 * An integer argument as a JS number; Go's int is 64-bit, but counts and positions beyond 2^53 are
 * meaningless here.
 */
export function expectInteger(functionName: string, value: unknown): number {
  if (!isInteger(value))
    fail(`invalid argument for ${functionName} (expected int, got ${typeName(value)})`);
  const number = Number(value);
  if (!Number.isSafeInteger(number))
    fail(`invalid argument for ${functionName} (${value} is out of range)`);
  return number;
}

export function expectArray(functionName: string, value: unknown): unknown[] {
  if (!Array.isArray(value))
    fail(`invalid argument for ${functionName} (expected array, got ${typeName(value)})`);
  return value;
}

export function expectMap(functionName: string, value: unknown): ExprMap {
  if (!isMap(value))
    fail(`invalid argument for ${functionName} (expected map, got ${typeName(value)})`);
  return value;
}
