/** Inputs of the simplified ITU-T G.107 E-model, as measured by getStats. */
export interface QualitySample {
  /** Round-trip time in milliseconds. */
  rttMs: number;
  /** Interarrival jitter in milliseconds. */
  jitterMs: number;
  /** Packet loss in percent (0–100). */
  lossPercent: number;
}

export const QualityLevel = { Good: 'good', Fair: 'fair', Poor: 'poor' } as const;
export type QualityLevel = (typeof QualityLevel)[keyof typeof QualityLevel];

/**
 * Mean Opinion Score (1–4.5) from the E-model with G.711/Opus-like defaults: the effective
 * latency counts jitter twice plus codec delay; loss lowers R by 2.5 per percent.
 */
export function estimateMos({ rttMs, jitterMs, lossPercent }: QualitySample): number {
  const effectiveLatency = rttMs / 2 + jitterMs * 2 + 10;
  const delayPenalty = effectiveLatency < 160 ? effectiveLatency / 40 : (effectiveLatency - 120) / 10;
  const r = Math.max(0, Math.min(100, 93.2 - delayPenalty - lossPercent * 2.5));
  const mos = 1 + 0.035 * r + 0.000007 * r * (r - 60) * (100 - r);
  return Math.round(Math.min(4.5, Math.max(1, mos)) * 100) / 100;
}

/** Good / fair / poor bands used by the in-call indicator. */
export function qualityLevel(mos: number): QualityLevel {
  if (mos >= 4) return QualityLevel.Good;
  if (mos >= 3.3) return QualityLevel.Fair;
  return QualityLevel.Poor;
}
