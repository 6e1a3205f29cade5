/** Why the session was forcibly ended, as the re-login dialog says it. */
const REASONS: Record<string, string> = {
  'refresh-rejected': 'The server did not renew your session (it was revoked or has expired).',
  unauthorized: 'The server no longer accepts your session.',
  idle: 'You were inactive for too long.',
  'max-age': 'Your session reached its maximum age.',
  manual: 'The page ended your session.',
};

export function describeReason(reason: string | undefined): string {
  return REASONS[reason ?? ''] ?? 'Your session ended.';
}
