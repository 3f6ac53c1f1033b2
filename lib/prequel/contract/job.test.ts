import { describe, expect, it } from 'vitest';
import { isActive, JOB_STATUSES } from './job';

describe('isActive', () => {
  it('is true for queued and running jobs only', () => {
    const active = JOB_STATUSES.filter((status) => isActive({ status }));
    expect(active).toEqual(['queued', 'running']);
  });

  it('is false when there is no job yet', () => {
    expect(isActive(null)).toBe(false);
    expect(isActive(undefined)).toBe(false);
  });
});
