import { describe, expect, it } from 'vitest';
import { instantOf } from '../../src/media/instant.js';

describe('instantOf', () => {
  it('uses the offset when the date has one', () => {
    expect(instantOf('2021-03-04T10:20:30+01:00')?.toISOString()).toBe('2021-03-04T09:20:30.000Z');
    expect(instantOf('2021-03-04T10:20:30.250-05:00')?.toISOString()).toBe('2021-03-04T15:20:30.250Z');
  });

  it('reads a wall-clock date as UTC so it sorts by its digits', () => {
    expect(instantOf('2021-03-04T10:20:30')?.toISOString()).toBe('2021-03-04T10:20:30.000Z');
  });

  it('gives null for no date or nonsense', () => {
    expect(instantOf(null)).toBeNull();
    expect(instantOf('not a date')).toBeNull();
  });
});
