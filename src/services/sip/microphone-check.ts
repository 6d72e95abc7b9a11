import { LoginError } from './failure.ts';
import { FailureReason } from './registration-state.ts';
import type { MediaPort } from './sip-service.ts';

/**
 * A login's microphone check under way. `done` settles with its outcome (rejects with the
 * LoginError the agent sees); `allowed` resolves as soon as either the microphone opened or the
 * browser says it is already allowed (permission granted on an earlier visit), so "registered"
 * need not wait for the device to open — should it then fail, the login fails all the same.
 */
export interface MicrophoneCheck {
  done: Promise<void>;
  allowed: Promise<void>;
}

async function openAndClose(media: MediaPort): Promise<void> {
  try {
    const stream = await media.getMicrophone();
    stream.getTracks().forEach((track) => {
      track.stop();
    });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    throw new LoginError(
      name === 'NotFoundError' ? FailureReason.NoMicrophone : FailureReason.MicrophoneBlocked,
    );
  }
}

/** Whether the Permissions API says the microphone is granted; false when it would ask or cannot tell. */
function permissionGranted(): Promise<boolean> {
  // Older Safari has no Permissions API; Firefox rejects 'microphone': the device check decides.
  const permissions = navigator.permissions as Permissions | undefined;
  if (!permissions) return Promise.resolve(false);
  return permissions.query({ name: 'microphone' }).then(
    (status) => status.state === 'granted',
    () => false,
  );
}

/**
 * When a login opens the device: `asking` if the browser would ask (the prompt overlaps the
 * REGISTER), `granted` otherwise. Both are waiting already: the permission may be told after the
 * UA event one of them waits for.
 */
export interface OpenTiming {
  asking: Promise<void>;
  granted: Promise<void>;
}

/**
 * Starts the check: the permission query at once; the device (the first getUserMedia of a page
 * takes tens of milliseconds of browser work) when `timing` says, by default at once.
 */
export function startMicrophoneCheck(media: MediaPort, timing?: OpenTiming): MicrophoneCheck {
  const granted = permissionGranted();
  const openAfter = timing ? granted.then((yes) => (yes ? timing.granted : timing.asking)) : undefined;
  const done = openAfter ? openAfter.then(() => openAndClose(media)) : openAndClose(media);
  const allowed = Promise.race([done, granted.then((yes) => (yes ? undefined : done))]);
  // Whoever awaits them reports a failure; this only keeps an unused one from going unhandled.
  done.catch(() => undefined);
  allowed.catch(() => undefined);
  return { done, allowed };
}
