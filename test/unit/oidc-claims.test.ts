import { describe, expect, it } from 'vitest';
import { quotaFromClaims, roleFromClaims } from '../../src/library/accounts/oidc.js';
import { safeReturnPath } from '../../src/auth/oidc-client.js';

describe('single sign-on claims', () => {
  const roles = { roleClaim: 'groups', adminValue: 'shoebox-admins' };

  it('gives admin when the claim is, or lists, the admin value; user otherwise; nothing without the claim', () => {
    expect(roleFromClaims({ groups: 'shoebox-admins' }, roles)).toBe('admin');
    expect(roleFromClaims({ groups: ['family', 'shoebox-admins'] }, roles)).toBe('admin');
    expect(roleFromClaims({ groups: ['family'] }, roles)).toBe('user');
    expect(roleFromClaims({}, roles)).toBeNull();
    expect(roleFromClaims({ groups: 'shoebox-admins' }, { roleClaim: null, adminValue: 'x' })).toBeNull();
  });

  it('reads quotas as bytes, with units; 0 means no limit; nonsense is ignored', () => {
    const quota = { quotaClaim: 'q' };
    expect(quotaFromClaims({ q: 1073741824 }, quota)).toBe(1073741824);
    expect(quotaFromClaims({ q: '50GB' }, quota)).toBe(50e9);
    expect(quotaFromClaims({ q: '1.5 TiB' }, quota)).toBe(1.5 * 1024 ** 4);
    expect(quotaFromClaims({ q: '0' }, quota)).toBeNull();
    expect(quotaFromClaims({ q: 'lots' }, quota)).toBeUndefined();
    expect(quotaFromClaims({ q: -5 }, quota)).toBeUndefined();
    expect(quotaFromClaims({}, quota)).toBeUndefined();
  });

  it('lands only on paths of this server after signing in', () => {
    expect(safeReturnPath('/albums/1?x=2')).toBe('/albums/1?x=2');
    expect(safeReturnPath('//evil.example/')).toBe('/');
    expect(safeReturnPath('/\\evil.example')).toBe('/');
    expect(safeReturnPath('https://evil.example/')).toBe('/');
    expect(safeReturnPath(undefined)).toBe('/');
  });
});
