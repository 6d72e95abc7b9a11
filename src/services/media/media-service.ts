import type { MediaPort } from '../sip/sip-service.ts';

/** An audio input or output the agent can pick. */
export interface AudioDevice {
  id: string;
  label: string;
}

/**
 * Microphone and speaker: device lists, the chosen devices, remote audio playback and the
 * ringtone. Remote audio plays through a detached <audio> that this service owns.
 */
export class MediaService extends EventTarget implements MediaPort {
  #microphoneId: string | null = null;
  #speakerId: string | null = null;
  readonly #remote = new Audio();

  constructor() {
    super();
    this.#remote.autoplay = true;
  }

  /** Whether the browser can route audio to a chosen speaker (setSinkId). */
  get canChooseSpeaker(): boolean {
    // Firefox before 116 and some embedded browsers lack setSinkId.
    return 'setSinkId' in HTMLMediaElement.prototype;
  }

  /** Current choices (null = system default). */
  get selection(): { microphoneId: string | null; speakerId: string | null } {
    return { microphoneId: this.#microphoneId, speakerId: this.#speakerId };
  }

  /** Lists microphones and speakers (labels appear once microphone permission was granted). */
  async devices(): Promise<{ microphones: AudioDevice[]; speakers: AudioDevice[] }> {
    const all = await navigator.mediaDevices.enumerateDevices();
    const pick = (kind: MediaDeviceKind, fallback: string) =>
      all
        .filter((d) => d.kind === kind)
        .map((d, i) => ({ id: d.deviceId, label: d.label || `${fallback} ${i + 1}` }));
    return { microphones: pick('audioinput', 'Microphone'), speakers: pick('audiooutput', 'Speaker') };
  }

  /** A fresh stream from the chosen microphone, with echo cancellation and noise suppression. */
  getMicrophone(): Promise<MediaStream> {
    const audio: MediaTrackConstraints = {
      echoCancellation: true,
      noiseSuppression: true,
      autoGainControl: true,
    };
    if (this.#microphoneId) audio.deviceId = { exact: this.#microphoneId };
    return navigator.mediaDevices.getUserMedia({ audio, video: false });
  }

  /** Chooses the microphone for the next calls (the call controller swaps it into a live call). */
  setMicrophone(id: string | null): void {
    this.#microphoneId = id;
    this.dispatchEvent(new Event('change'));
  }

  /** Chooses the speaker for remote audio. */
  async setSpeaker(id: string | null): Promise<void> {
    this.#speakerId = id;
    if (this.canChooseSpeaker) await this.#remote.setSinkId(id ?? '');
    this.dispatchEvent(new Event('change'));
  }

  /** Plays the other party's audio. */
  playRemote(stream: MediaStream): void {
    this.#remote.srcObject = stream;
    void this.#remote.play().catch(() => {
      this.dispatchEvent(new Event('autoplay-blocked'));
    });
  }

  /** Stops remote audio (call ended). */
  stopRemote(): void {
    this.#remote.srcObject = null;
  }
}
