import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { itemEnvelope, pageEnvelope } from './envelope';

const Item = z.looseObject({ id: z.string() });

describe('itemEnvelope', () => {
  it('reads the current envelope and the previous one alike', () => {
    const source = itemEnvelope('source', Item);
    expect(
      source.parse({ status: 'success', data: { source: { id: 'a' } }, message: 'ok' }),
    ).toEqual({ id: 'a' });
    expect(source.parse({ source: { id: 'a' } })).toEqual({ id: 'a' });
    expect(source.safeParse({ status: 'success', data: {} }).success).toBe(false);
  });
});

describe('pageEnvelope', () => {
  const sources = pageEnvelope('sources', Item);

  it('keeps only the cursor of next_url, whatever host it names', () => {
    const page = sources.parse({
      status: 'success',
      data: { sources: [{ id: 'a' }] },
      has_next: true,
      next_url: 'https://elsewhere.example/import/sources?page_size=1&cursor=abc%3D',
    });
    expect(page).toEqual({ items: [{ id: 'a' }], nextCursor: 'abc=' });
  });

  it('ends the list when has_next is false or there is no next_url, in either envelope', () => {
    expect(
      sources.parse({
        status: 'success',
        has_next: false,
        sources: [],
        next_url: 'https://x/?cursor=c',
      }),
    ).toEqual({ items: [], nextCursor: null });
    expect(sources.parse({ data: { sources: [{ id: 'b' }] }, next_url: null })).toEqual({
      items: [{ id: 'b' }],
      nextCursor: null,
    });
  });
});
