// Pure: dotted target fields as paths into the record. Two mappings may not write the same path,
// and a path may not run through another mapping's value (`a` and `a.b`): both are mapping errors,
// found once.
import { setEntry } from '../expr/runtime';

export type TargetConflict = {
  index: number;
  code: 'duplicate_target_field' | 'target_conflict';
  message: string;
};

export function findTargetConflicts(targets: readonly string[]): TargetConflict[] {
  const indexOf = new Map<string, number>();
  const conflicts: TargetConflict[] = [];
  targets.forEach((target, index) => {
    const first = indexOf.get(target);
    if (first !== undefined)
      conflicts.push({
        index,
        code: 'duplicate_target_field',
        message: `is already mapped by mapping ${first}`,
      });
    else indexOf.set(target, index);
  });
  targets.forEach((target, index) => {
    const segments = target.split('.');
    for (let length = 1; length < segments.length; length++) {
      const prefix = segments.slice(0, length).join('.');
      const owner = indexOf.get(prefix);
      if (owner !== undefined) {
        conflicts.push({
          index,
          code: 'target_conflict',
          message:
            `"${target}" is inside "${prefix}", which mapping ${owner} sets to a value of ` +
            `its own`,
        });
        break;
      }
    }
  });
  return conflicts.sort((a, b) => a.index - b.index);
}

/**
 * Writes `value` at `segments`, creating the objects on the way; keys are plain data (even
 * "__proto__": see setEntry). A path never reads through an inherited property: "constructor.name"
 * creates an own "constructor".
 */
export function setAt(
  record: Record<string, unknown>,
  segments: readonly string[],
  value: unknown,
): void {
  let node = record;
  const last = segments.length - 1;
  for (let position = 0; position < last; position++) {
    const segment = segments[position]!;
    if (!Object.hasOwn(node, segment)) setEntry(node, segment, {});
    node = node[segment] as Record<string, unknown>;
  }
  setEntry(node, segments[last]!, value);
}
