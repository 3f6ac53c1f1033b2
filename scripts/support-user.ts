// `npm run support-user -- <email>`: prints an INLET_SUPPORT_USERS entry for a staff account. The
// password is read from standard input (typed, or piped), never from the command line, where the
// shell history would keep it.
import { createInterface } from 'node:readline/promises';
import { hashStaffPassword } from '../lib/support/staff-accounts';

const email = process.argv[2]?.trim().toLowerCase();
if (!email || !/^[^:\s,]+$/.test(email)) {
  console.error(
    'Usage: npm run support-user -- <email>   (then type the password, 12 characters or more)',
  );
  process.exit(2);
}
const input = createInterface({
  input: process.stdin,
  output: process.stderr,
  terminal: process.stdin.isTTY,
});
const password = (
  await input.question(process.stdin.isTTY ? `Password for ${email}: ` : '')
).replace(/\r?\n$/, '');
input.close();
if (password.length < 12) {
  console.error('The password must have 12 characters or more.');
  process.exit(2);
}
console.log(`${email}:${hashStaffPassword(password)}`);
console.error(
  'Add this line to INLET_SUPPORT_USERS (comma-separated, one entry per staff member).',
);
