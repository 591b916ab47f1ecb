/**
 * What makes a password acceptable, following the NCSC's advice: long enough, and not one that attackers
 * try first. The common-password list is zxcvbn-ts's (about 49,000 leaked passwords), checked exactly and
 * case-insensitively.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;

const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

/** The reason a password is refused, in words for the person choosing it; undefined when it is fine. */
export function passwordProblem(password: string, email?: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be ${MIN_PASSWORD_LENGTH} characters or more`;
  if (password.length > 256) return 'Password must be 256 characters or fewer';
  const lower = password.toLowerCase();
  if (common.has(lower) || /^(.)\1+$/.test(password))
    return 'Password is too common: choose one that is harder to guess';
  const localPart = email?.split('@')[0]?.toLowerCase();
  if (localPart && localPart.length >= 4 && lower.includes(localPart)) {
    return 'Password must not contain your email address';
  }
  return undefined;
}
