// Pure: a dataset's schema drift as the status page says it: per drifted column, what happened, the
// fix (remap), and the mappings to open.
import type { SchemaDrift } from '@/lib/prequel/contract/dataset';

export interface DriftNote {
  column: string;
  /**
   * `danger`: deliveries wait until it is fixed; `warning`: they go on, maybe with refused records.
   */
  tone: 'danger' | 'warning';
  title: string;
  fix: string;
  /** The destinations whose mapping reads the column. */
  remap: { destinationId: string; destinationName: string }[];
}

const quoted = (names: string[]) => names.map((name) => `“${name}”`).join(', ');

export function driftNotes(
  drift: SchemaDrift | null | undefined,
  datasetName: string,
  streams: readonly { id: string; destinationId: string; destinationName: string }[],
): DriftNote[] {
  return (drift?.columns ?? []).map((column) => {
    const readers = column.streams.flatMap((reader) => {
      const stream = streams.find((candidate) => candidate.id === reader.stream_id);
      return stream ? [{ ...stream, fields: reader.target_fields }] : [];
    });
    const fields = readers
      .map((reader) => `${quoted(reader.fields)} of ${reader.destinationName}`)
      .join(' and ');
    const remap = readers.map(({ destinationId, destinationName }) => ({
      destinationId,
      destinationName,
    }));
    if (column.change === 'removed') {
      const renamed = column.renamed_to
        ? ` (probably to “${column.renamed_to}”, which appeared as it went)`
        : '';
      const waiting = readers.length
        ? ` Deliveries to ` +
          `${[...new Set(readers.map((reader) => reader.destinationName))].join(' and ')} wait ` +
          `until then.`
        : '';
      return {
        column: column.name,
        tone: 'danger',
        title: `The column “${column.name}” is gone from ${datasetName}`,
        fix:
          `The mapping needs a change: remap ` +
          `${fields || 'the fields that read it'}${renamed}, or restore the column.${waiting}`,
        remap,
      };
    }
    return {
      column: column.name,
      tone: 'warning',
      title:
        `The column “${column.name}” of ${datasetName} changed type ` +
        `(${column.previous_type} → ${column.current_type})`,
      fix:
        `Check the mapping of ${fields || 'the fields that read it'}: remap if its values no ` +
        `longer fit.`,
      remap,
    };
  });
}
