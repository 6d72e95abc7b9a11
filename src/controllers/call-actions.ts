import type { CallControl } from '../events/call-control.ts';
import type { Call } from '../services/sip/call.ts';
import type { SipService } from '../services/sip/sip-service.ts';
import type { PhoneCommand } from './phone-line.ts';

/** Carries out a call command of this tab or of a follower tab (not logout, device or password). */
export async function applyCallCommand(
  sip: SipService,
  command: Exclude<PhoneCommand, { kind: 'logout' | 'device' | 'password' }>,
): Promise<void> {
  if (command.kind === 'dial') {
    await sip.call(command.number);
    return;
  }
  const call = sip.calls.find((c) => c.state.id === command.callId);
  switch (command.kind) {
    case 'answer':
      call?.answer();
      return;
    case 'hangup':
      if (command.decline) call?.reject();
      else call?.hangup();
      return;
    case 'rename':
      call?.setDisplayName(command.name);
      return;
    case 'control':
      await applyCallControl(sip, command.callId, command.control);
  }
}

/** Applies a call-control intent to the call it names; attended transfer spans two calls. */
export async function applyCallControl(sip: SipService, callId: string, control: CallControl): Promise<void> {
  const call = sip.calls.find((c) => c.state.id === callId);
  if (!call) return;
  switch (control.kind) {
    case 'mute':
      call.setMuted(control.on);
      return;
    case 'hold':
      call.setHeld(control.on);
      return;
    case 'dtmf':
      call.sendDtmf(control.tones);
      return;
    case 'transfer':
      call.transfer(control.target);
      return;
    case 'consult':
      call.setHeld(true);
      await sip.call(control.target);
      return;
    case 'complete-transfer':
      completeAttendedTransfer(call, sip.calls);
  }
}

function completeAttendedTransfer(original: Call, calls: readonly Call[]): void {
  const consultation = calls.find((c) => c !== original && c.state.status === 'active');
  if (consultation) original.transferTo(consultation);
}
