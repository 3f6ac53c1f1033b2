// A dataset names a table the source does not have; carries the close matches the customer probably
// meant.
import type { QualifiedName } from './similar-names';

export class TableNotFoundError extends Error {
  constructor(
    readonly wanted: QualifiedName,
    readonly suggestions: QualifiedName[],
    readonly namespaceExists: boolean,
  ) {
    const where = namespaceExists
      ? `in ${wanted.namespace}`
      : `(there is no schema ${wanted.namespace})`;
    const suggestion = suggestions.length
      ? ` Did you mean ${suggestions.map((s) => `${s.namespace}.${s.name}`).join(', ')}?`
      : '';
    super(`There is no table or view named ${wanted.name} ${where}.${suggestion}`);
    this.name = 'TableNotFoundError';
  }
}
