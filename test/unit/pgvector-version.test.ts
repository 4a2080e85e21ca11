import { describe, expect, it } from 'vitest';
import { pgvectorProblem, versionAtLeast } from '../../src/db/postgres.js';

describe('the pgvector check at start', () => {
  it('compares versions by number', () => {
    expect(versionAtLeast('0.8.6', '0.8.0')).toBe(true);
    expect(versionAtLeast('0.10.0', '0.8.0')).toBe(true);
    expect(versionAtLeast('0.7.4', '0.8.0')).toBe(false);
    expect(versionAtLeast('0.8', '0.8.0')).toBe(true);
  });

  it('says what to install or run, for each server it may meet', () => {
    expect(pgvectorProblem({ postgres: '16.4', available: '0.8.0', installed: '0.8.0' })).toBeNull();
    expect(pgvectorProblem({ postgres: '16.4', available: '0.8.1', installed: null })).toBeNull();
    expect(pgvectorProblem({ postgres: '16.4 (Debian 16.4-1)', available: null, installed: null })).toMatch(
      /no pgvector extension: install pgvector 0\.8\.0 or newer for PostgreSQL 16 .*postgresql-16-pgvector.*pgvector\/pgvector:pg16/,
    );
    expect(pgvectorProblem({ postgres: '15.2', available: '0.5.1', installed: null })).toMatch(/has pgvector 0\.5\.1, older than the 0\.8\.0/);
    expect(pgvectorProblem({ postgres: '15.2', available: '0.8.6', installed: '0.7.0' })).toMatch(/has 0\.8\.6: run ALTER EXTENSION vector UPDATE/);
    expect(pgvectorProblem({ postgres: '15.2', available: '0.7.0', installed: '0.7.0' })).toMatch(/install pgvector .* then run ALTER EXTENSION vector UPDATE/);
  });
});
