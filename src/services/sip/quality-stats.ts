import type { QualitySample } from '../../internal/mos.ts';

interface InboundAudio {
  type: 'inbound-rtp';
  kind: string;
  jitter?: number;
  packetsLost?: number;
  packetsReceived?: number;
}

interface RemoteInbound {
  type: 'remote-inbound-rtp';
  kind: string;
  roundTripTime?: number;
}

interface CandidatePair {
  type: 'candidate-pair';
  nominated?: boolean;
  state?: string;
  currentRoundTripTime?: number;
}

/** Reads RTT, jitter and loss of the audio stream from getStats; null before any packet arrived. */
export async function readQualitySample(peer: RTCPeerConnection): Promise<QualitySample | null> {
  const report = await peer.getStats();
  let inbound: InboundAudio | undefined;
  let rttSeconds: number | undefined;
  report.forEach((stat: { type: string }) => {
    if (stat.type === 'inbound-rtp' && (stat as InboundAudio).kind === 'audio')
      inbound = stat as InboundAudio;
    if (stat.type === 'remote-inbound-rtp') rttSeconds ??= (stat as RemoteInbound).roundTripTime;
    const pair = stat as CandidatePair;
    if (stat.type === 'candidate-pair' && pair.nominated && pair.state === 'succeeded') {
      rttSeconds ??= pair.currentRoundTripTime;
    }
  });
  if (!inbound?.packetsReceived) return null;
  const lost = Math.max(0, inbound.packetsLost ?? 0);
  return {
    rttMs: (rttSeconds ?? 0) * 1000,
    jitterMs: (inbound.jitter ?? 0) * 1000,
    lossPercent: (100 * lost) / (lost + inbound.packetsReceived),
  };
}
