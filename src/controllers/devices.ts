import type { MediaService } from '../services/media/media-service.ts';
import type { Call } from '../services/sip/call.ts';
import type { StorageService } from '../services/storage/storage-service.ts';

/** The microphone and speaker this browser chose: remembered in IndexedDB, applied to live calls. */
export class DeviceChoice {
  constructor(
    private readonly media: MediaService,
    private readonly storage: StorageService,
  ) {}

  /** Applies the remembered devices (they matter for the first call, not for registering). */
  async restore(): Promise<void> {
    const prefs = await this.storage.preferences().catch(() => null);
    if (!prefs) return;
    this.media.setMicrophone(prefs.microphoneId);
    await this.media.setSpeaker(prefs.speakerId).catch(() => undefined);
  }

  /** Switches the device, remembers it for this browser, and swaps a new microphone into `calls`. */
  async choose(
    kind: 'microphone' | 'speaker',
    deviceId: string | null,
    calls: readonly Call[],
  ): Promise<void> {
    if (kind === 'speaker') {
      await this.media.setSpeaker(deviceId);
      await this.storage.savePreferences({ speakerId: deviceId });
      return;
    }
    this.media.setMicrophone(deviceId);
    await this.storage.savePreferences({ microphoneId: deviceId });
    for (const call of calls) {
      await call.replaceMicrophone(await this.media.getMicrophone());
    }
  }
}
