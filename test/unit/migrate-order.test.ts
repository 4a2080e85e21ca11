import { describe, expect, it } from 'vitest';
import { inReferenceOrder } from '../../src/migrate/tables.js';

describe('migration order', () => {
  it('copies what a row references before the row', () => {
    const tables = ['album_photos', 'albums', 'photos', 'users', 'faces', 'people'].map((name) => ({ name }));
    const references = [
      { child: 'album_photos', parent: 'albums' },
      { child: 'album_photos', parent: 'photos' },
      { child: 'albums', parent: 'users' },
      { child: 'photos', parent: 'users' },
      { child: 'faces', parent: 'photos' },
      { child: 'faces', parent: 'people' },
      { child: 'people', parent: 'users' },
    ];
    const order = inReferenceOrder(tables, references).map((t) => t.name);
    for (const { child, parent } of references) expect(order.indexOf(parent)).toBeLessThan(order.indexOf(child));
    expect(order[0]).toBe('users');
  });

  it('refuses a cycle instead of looping', () => {
    expect(() =>
      inReferenceOrder(
        [{ name: 'a' }, { name: 'b' }],
        [
          { child: 'a', parent: 'b' },
          { child: 'b', parent: 'a' },
        ],
      ),
    ).toThrow(/cycle: a, b/);
  });
});
