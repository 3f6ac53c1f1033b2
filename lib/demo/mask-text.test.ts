import { describe, expect, test } from 'vitest';
import { maskText } from './mask-text';

describe('presenter mode masks', () => {
  test('emails down to their first letter and domain', () => {
    expect(maskText('Contact ada.lovelace@example.com or bob@mail.acme.io.')).toBe(
      'Contact a•••@example.com or b•••@mail.acme.io.',
    );
  });

  test('uuids and tenant ids down to a short prefix', () => {
    expect(maskText('stream 01a217bd-a6f6-704a-9c1d-796d5293fcbb of e2e-1a2b3c4d')).toBe(
      'stream 01a2•••• of e2e-1a••',
    );
  });

  test('and leaves ordinary text alone', () => {
    expect(maskText('300 new · 2 updated, every 60 min (public.customers)')).toBe(
      '300 new · 2 updated, every 60 min (public.customers)',
    );
  });
});
