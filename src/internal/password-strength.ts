/** A rough strength estimate for the meter (the server's policy is what decides). */
export interface Strength {
  /** 0 (very weak) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
}

const LABELS = ['Too short', 'Weak', 'Fair', 'Good', 'Strong'] as const;

/** Estimates entropy from length and character variety, penalising repetition. */
export function estimateStrength(password: string): Strength {
  const chars = Array.from(password);
  if (chars.length < 15) return { score: 0, label: LABELS[0] };
  const pools = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  const unique = new Set(chars).size;
  const bits = unique * Math.log2(Math.max(2, pools * 16)) * Math.min(1, unique / chars.length + 0.4);
  const score = bits >= 90 ? 4 : bits >= 65 ? 3 : bits >= 45 ? 2 : 1;
  return { score, label: LABELS[score] };
}
