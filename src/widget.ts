// Entry point of the embeddable widget: one ES module that defines <earshot-softphone> (guarded,
// so loading it twice only warns) and exports its types for TypeScript hosts.
export { EarshotSoftphone } from './components/softphone/softphone.ts';
export type { CallerLookup } from './controllers/host-events-controller.ts';
export type { CallEndedDetail, EarshotCallEndedEvent } from './events/call-ended.ts';
export type {
  CallInfo,
  EarshotCallStartedEvent,
  EarshotIncomingCallEvent,
  EarshotRegisteredEvent,
  EarshotRegistrationFailedEvent,
  EarshotUnregisteredEvent,
} from './events/public-events.ts';
export type { RegistrationState } from './services/sip/registration-state.ts';
