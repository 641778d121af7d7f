// A rough password strength estimate for the setup screen: length × bits per character class.
// It only nudges people away from short or one-class passwords; Argon2id does the real work.

export type Strength = 'weak' | 'fair' | 'strong';

export const MIN_PASSWORD_LENGTH = 8;

/** Estimated entropy in bits: length × log2(size of the alphabet the classes used span). */
export function entropyBits(password: string): number {
  let alphabet = 0;
  if (/[a-z]/.test(password)) alphabet += 26;
  if (/[A-Z]/.test(password)) alphabet += 26;
  if (/[0-9]/.test(password)) alphabet += 10;
  if (/[^a-zA-Z0-9]/.test(password)) alphabet += 33;
  return alphabet === 0 ? 0 : [...password].length * Math.log2(alphabet);
}

export function strength(password: string): Strength {
  const bits = entropyBits(password);
  if (password.length < MIN_PASSWORD_LENGTH || bits < 50) return 'weak';
  if (bits < 75) return 'fair';
  return 'strong';
}
