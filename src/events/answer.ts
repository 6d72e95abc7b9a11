/** Intent: answer the ringing call. */
export class EarshotAnswerEvent extends Event {
  constructor(readonly callId: string) {
    super('earshot-answer', { bubbles: true, composed: false, cancelable: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'earshot-answer': EarshotAnswerEvent;
  }
}
