import { describe, expect, test } from 'vitest';
import { driftNotes } from './drift-notes';

const streams = [
  { id: 's-users', destinationId: 'd-users', destinationName: 'Users' },
  { id: 's-crm', destinationId: 'd-crm', destinationName: 'CRM' },
];

describe('driftNotes', () => {
  test('a column that is gone: the mapping needs a change, with the likely new name and who waits', () => {
    const notes = driftNotes(
      {
        columns: [
          {
            name: 'email',
            change: 'removed',
            previous_type: 'string',
            current_type: null,
            renamed_to: 'email_address',
            streams: [{ stream_id: 's-users', target_fields: ['email'] }],
          },
        ],
        new_columns: ['email_address'],
      },
      'customers',
      streams,
    );
    expect(notes).toEqual([
      {
        column: 'email',
        tone: 'danger',
        title: 'The column “email” is gone from customers',
        fix: 'The mapping needs a change: remap “email” of Users (probably to “email_address”, which appeared as it went), or restore the column. Deliveries to Users wait until then.',
        remap: [{ destinationId: 'd-users', destinationName: 'Users' }],
      },
    ]);
  });

  test('a type change is a warning naming both types and every mapping that reads it', () => {
    const [note] = driftNotes(
      {
        columns: [
          {
            name: 'score',
            change: 'type_changed',
            previous_type: 'integer',
            current_type: 'string',
            renamed_to: null,
            streams: [
              { stream_id: 's-users', target_fields: ['score', 'rank'] },
              { stream_id: 's-crm', target_fields: ['points'] },
            ],
          },
        ],
        new_columns: [],
      },
      'customers',
      streams,
    );
    expect(note).toMatchObject({
      tone: 'warning',
      title: 'The column “score” of customers changed type (integer → string)',
      fix: 'Check the mapping of “score”, “rank” of Users and “points” of CRM: remap if its values no longer fit.',
    });
    expect(note!.remap.map((target) => target.destinationName)).toEqual(['Users', 'CRM']);
  });

  test('no drift, no notes', () => {
    expect(driftNotes(null, 'customers', streams)).toEqual([]);
    expect(driftNotes({ columns: [], new_columns: ['plan'] }, 'customers', streams)).toEqual([]);
  });
});
