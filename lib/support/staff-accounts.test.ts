import { describe, expect, it } from 'vitest';
import { hashStaffPassword, parseStaffAccounts, verifyStaffPassword } from './staff-accounts';

describe('support staff accounts', () => {
  const entry = `Grace@SaaS.example:${hashStaffPassword('correct horse battery')}`;

  it('signs in the account whose email and password match, by its configured email', async () => {
    const parsed = parseStaffAccounts(
      `${entry}, ada@saas.example:${hashStaffPassword('another password!')}`,
    );
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.accounts.map((account) => account.email)).toEqual([
      'grace@saas.example',
      'ada@saas.example',
    ]);
    expect(
      (await verifyStaffPassword(parsed.accounts, ' GRACE@saas.example ', 'correct horse battery'))
        ?.email,
    ).toBe('grace@saas.example');
    expect(
      await verifyStaffPassword(parsed.accounts, 'grace@saas.example', 'another password!'),
    ).toBeNull();
    expect(
      await verifyStaffPassword(parsed.accounts, 'nobody@saas.example', 'correct horse battery'),
    ).toBeNull();
  });

  it('stores a salted hash, never the password', () => {
    const first = hashStaffPassword('correct horse battery');
    expect(first).not.toContain('correct');
    expect(first).not.toBe(hashStaffPassword('correct horse battery'));
  });

  it('names a malformed entry without repeating it', () => {
    const parsed = parseStaffAccounts(`${entry}\nada@saas.example:plaintext-password`);
    expect(parsed).toEqual({ ok: false, message: expect.stringContaining('entry 2') });
    expect(parsed.ok ? '' : parsed.message).not.toContain('plaintext-password');
    expect(parseStaffAccounts(undefined)).toEqual({ ok: true, accounts: [] });
  });
});
