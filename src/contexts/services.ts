import { createContext } from '@lit/context';
import type { AccountApi } from '../services/account-api/account-api.ts';
import type { MediaService } from '../services/media/media-service.ts';
import type { Ringtone } from '../services/media/ringtone.ts';
import type { SipService } from '../services/sip/sip-service.ts';
import type { StorageService } from '../services/storage/storage-service.ts';

/** The SIP service (registration and calls). */
export const sipContext = createContext<SipService>(Symbol('earshot-sip'));
/** The account-service client, once its session is open (undefined until then). */
export const accountApiContext = createContext<AccountApi | undefined>(Symbol('earshot-account-api'));
/** IndexedDB preferences and call history. */
export const storageContext = createContext<StorageService>(Symbol('earshot-storage'));
/** Microphone, speaker and remote audio. */
export const mediaContext = createContext<MediaService>(Symbol('earshot-media'));
/** The incoming-call ringtone. */
export const ringtoneContext = createContext<Ringtone>(Symbol('earshot-ringtone'));

/** Changes the agent's password (in whichever tab of the browser holds the registration). */
export interface PasswordChanger {
  changePassword(current: string, next: string): Promise<void>;
}
/** The phone's password change: the account service, then re-registering every tab with it. */
export const passwordChangerContext = createContext<PasswordChanger>(Symbol('earshot-password-changer'));
