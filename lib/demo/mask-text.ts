// Pure: presenter mode's masking of emails and ids in visible text, so a demo on a shared screen
// shows no one's address or key.
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const UUID = /\b([0-9a-f]{4})[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
// Provider and tenant ids like e2e-1a2b3c4d or acme-7f3e: a word, a dash, then 4+ hex digits.
const TENANT_ID = /\b([a-z][a-z0-9]*)-([0-9a-f]{2})[0-9a-f]{2,}\b/g;

export function maskText(text: string): string {
  return text.replace(EMAIL, '$1•••@$2').replace(UUID, '$1••••').replace(TENANT_ID, '$1-$2••');
}
