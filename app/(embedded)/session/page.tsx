import type { Metadata } from 'next';
import { SessionRequired, type SessionProblem } from '@/components/session/session-required';

export const metadata: Metadata = { title: 'Sign-in link' };

const known: readonly SessionProblem[] = [
  'expired',
  'invalid',
  'not_configured',
  'no_session',
  'signed_out',
];

export default async function SessionProblemPage({
  searchParams,
}: {
  searchParams: Promise<{ problem?: string }>;
}) {
  const { problem } = await searchParams;
  return (
    <SessionRequired problem={known.find((candidate) => candidate === problem) ?? 'no_session'} />
  );
}
