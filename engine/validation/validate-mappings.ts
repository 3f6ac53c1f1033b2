// Checks a stream's mappings against its destination's record_schema and its dataset's known
// columns.
import type { Mapping } from '../../lib/prequel/contract/stream';
import { isKnownTarget, uncoveredRequiredFields } from '../../lib/prequel/contract/required-fields';
import { compileExpression } from '../transform/expr/compile-expression';
import { createRegexAllowance } from '../transform/expr/compile-regex';

export interface MappingIssue {
  code:
    | 'unknown_column'
    | 'invalid_expression'
    | 'unknown_target_field'
    | 'duplicate_target_field'
    | 'required_fields_unmapped';
  path: string;
  message: string;
}

/**
 * `columns` is null while the dataset's columns are not known yet (before its first schema read).
 */
export function validateMappings(
  mappings: readonly Mapping[],
  recordSchema: unknown,
  columns: readonly string[] | null,
  pathPrefix = 'stream.mappings',
): MappingIssue[] {
  const issues: MappingIssue[] = [];
  const knownColumns = columns ? new Set(columns) : null;
  const seenTargets = new Map<string, number>();
  const regexAllowance = createRegexAllowance();
  mappings.forEach((mapping, index) => {
    const path = `${pathPrefix}.${index}`;
    const firstIndex = seenTargets.get(mapping.target_field);
    if (firstIndex !== undefined) {
      issues.push({
        code: 'duplicate_target_field',
        path: `${path}.target_field`,
        message: `is already mapped by mapping ${firstIndex}`,
      });
    } else {
      seenTargets.set(mapping.target_field, index);
    }
    if (!isKnownTarget(recordSchema, mapping.target_field)) {
      issues.push({
        code: 'unknown_target_field',
        path: `${path}.target_field`,
        message: `"${mapping.target_field}" is not a field of the destination's record_schema`,
      });
    }
    if (mapping.field_type === 'field') {
      if (knownColumns && !knownColumns.has(mapping.column.name)) {
        issues.push({
          code: 'unknown_column',
          path: `${path}.column.name`,
          message: `the dataset has no column "${mapping.column.name}"`,
        });
      }
    } else {
      const compiled = compileExpression(mapping.expression.expr, { regexAllowance });
      if (!compiled.ok) {
        const { line, column } = compiled.error.position;
        issues.push({
          code: 'invalid_expression',
          path: `${path}.expression.expr`,
          message: `${compiled.error.message} (line ${line}, column ${column})`,
        });
      } else if (knownColumns) {
        const unknown = compiled.expression.identifiers.filter((name) => !knownColumns.has(name));
        if (unknown.length) {
          issues.push({
            code: 'unknown_column',
            path: `${path}.expression.expr`,
            message:
              `the dataset has no column${unknown.length > 1 ? 's' : ''} ` +
              `${unknown.map((n) => `"${n}"`).join(', ')}`,
          });
        }
      }
    }
  });
  const missing = uncoveredRequiredFields(recordSchema, [...seenTargets.keys()]);
  if (missing.length) {
    issues.push({
      code: 'required_fields_unmapped',
      path: pathPrefix,
      message:
        `required field${missing.length > 1 ? 's' : ''} ` +
        `${missing.map((f) => `"${f}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not ` +
        `mapped`,
    });
  }
  return issues;
}
