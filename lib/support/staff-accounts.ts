// Support staff accounts for password sign-in: named accounts with scrypt hashes, configured by
// INLET_SUPPORT_USERS, so that every audit entry carries the account that signed in rather than a
// name typed into a form.
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/**
 * scrypt's cost (N = 2^15, r = 8, p = 1: about 50 ms and 32 MiB) and output size, fixed by the
 * `scrypt` tag.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_BYTES = 32;

export type StaffAccount = { email: string; salt: Buffer; hash: Buffer };

/** `scrypt:<salt hex>:<hash hex>` for a password, to put after `email:` in INLET_SUPPORT_USERS. */
export function hashStaffPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, KEY_BYTES, SCRYPT);
  return `scrypt:${salt.toString('hex')}:${hash.toString('hex')}`;
}

/**
 * Reads `email:scrypt:<salt>:<hash>` entries separated by commas or new lines. A malformed entry is
 * an error naming it (never its hash), so a typo cannot silently lock everyone out or let anyone
 * in.
 */
export function parseStaffAccounts(
  value: string | undefined,
): { ok: true; accounts: StaffAccount[] } | { ok: false; message: string } {
  const accounts: StaffAccount[] = [];
  for (const [index, entry] of (value ?? '')
    .split(/[,\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .entries()) {
    const match = /^([^:\s]+):scrypt:([0-9a-f]{32}):([0-9a-f]{64})$/i.exec(entry);
    if (!match)
      return {
        ok: false,
        message:
          `INLET_SUPPORT_USERS entry ${index + 1} is not \`email:scrypt:<salt>:<hash>\`: ` +
          `make one with \`npm run support-user -- <email>\`.`,
      };
    accounts.push({
      email: match[1]!.toLowerCase(),
      salt: Buffer.from(match[2]!, 'hex'),
      hash: Buffer.from(match[3]!, 'hex'),
    });
  }
  return { ok: true, accounts };
}

// Unknown accounts are checked against this, so an answer takes as long whether or not the account
// exists.
const decoy: StaffAccount = { email: '', salt: Buffer.alloc(16), hash: Buffer.alloc(KEY_BYTES) };

/**
 * The account when the email and password match one; null otherwise, in about the same time either
 * way.
 */
export async function verifyStaffPassword(
  accounts: StaffAccount[],
  email: string,
  password: string,
): Promise<StaffAccount | null> {
  const account = accounts.find((candidate) => candidate.email === email.trim().toLowerCase());
  const checked = account ?? decoy;
  // Off the event loop (libuv's pool): a sign-in must not hold up every other request for scrypt's
  // 50 ms.
  const matches = timingSafeEqual(
    await scryptAsync(password, checked.salt, KEY_BYTES, SCRYPT),
    checked.hash,
  );
  return account && matches ? account : null;
}
