/** Intent: mute, hold, DTMF or transfer on a call. */
export class EarshotCallControlEvent extends Event {
  constructor(
    readonly callId: string,
    readonly control: CallControl,
  ) {
    super('earshot-call-control', { bubbles: true, composed: false, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-call-control': EarshotCallControlEvent;
  }
}

/** What a call-control intent asks for. */
export type CallControl =
  | { kind: 'mute'; on: boolean }
  | { kind: 'hold'; on: boolean }
  | { kind: 'dtmf'; tones: string }
  | { kind: 'transfer'; target: string }
  | { kind: 'consult'; target: string }
  | { kind: 'complete-transfer' };
