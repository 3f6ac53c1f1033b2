// Pure: an error code's title for support staff. The words are the customer's (whose-move.ts, the
// one list of them), told about the customer instead of to them.
import { KNOWN_ERROR_CODES, whoseMove } from '@/lib/prequel/contract/health/whose-move';

/** "Your database refused the password" → "The database refused the password". */
const inThirdPerson = (title: string) =>
  title.replace(/\bYour database\b/g, 'The database').replace(/\byour database\b/g, 'the database');

/** `some_new_code` → "Some new code": still better than the code alone. */
const fromCode = (code: string) => {
  const words = code.replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * The title of a failure: our words for a code we know; else the title the API sent with it; else
 * the code, spelled out.
 */
export function errorTitle(error: { code: string; title?: string | null; message?: string }) {
  if (KNOWN_ERROR_CODES.has(error.code)) {
    const move = whoseMove(
      {
        error_code: error.code,
        title: error.title ?? '',
        message: error.message ?? '',
        blame: '',
        documentation_url: '',
        trace: '',
      },
      { now: new Date(0) },
    );
    return inThirdPerson(move.title);
  }
  return error.title?.trim() || fromCode(error.code);
}
