// Pure logic of the softphone, run under node:test (no browser needed).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { estimateMos, qualityLevel } from '../../src/internal/mos.ts';
import { checkDialString, isExtension, normalizeDialString } from '../../src/internal/phone-number.ts';
import { estimateStrength } from '../../src/internal/password-strength.ts';
import { classifyEnd, outcomeMessage } from '../../src/services/sip/call-state.ts';
import { explainRegisterFailure } from '../../src/services/sip/failure.ts';
import { IceCutoff } from '../../src/services/sip/ice-cutoff.ts';
import { RetrySchedule } from '../../src/services/sip/retry-schedule.ts';

describe('phone numbers', () => {
  test('extensions have 4 to 8 digits', () => {
    assert.deepEqual(['123', '1234', '12345678', '123456789', '12a4', ' 1234'].map(isExtension), [
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  test('pasted numbers are normalised and bad ones explained', () => {
    assert.equal(normalizeDialString(' +1 (555) 010-9999 '), '+15550109999');
    assert.equal(normalizeDialString('0044.20.7946.0000'), '00442079460000');
    assert.deepEqual(checkDialString('*72#'), { ok: true, number: '*72#' });
    assert.deepEqual(checkDialString(''), { ok: false, message: 'Enter a number to call.' });
    assert.equal(checkDialString('call me').ok, false);
    assert.equal(checkDialString('1+2').ok, false);
    assert.equal(checkDialString('9'.repeat(33)).ok, false);
  });
});

describe('call quality (E-model)', () => {
  test('a clean LAN call is good, loss and delay make it worse', () => {
    const clean = estimateMos({ rttMs: 2, jitterMs: 1, lossPercent: 0 });
    const lossy = estimateMos({ rttMs: 2, jitterMs: 1, lossPercent: 5 });
    const slow = estimateMos({ rttMs: 600, jitterMs: 40, lossPercent: 0 });
    assert.ok(clean > 4.3 && clean <= 4.5, `clean ${clean}`);
    assert.ok(lossy < clean && slow < clean);
    assert.equal(qualityLevel(clean), 'good');
    assert.equal(qualityLevel(estimateMos({ rttMs: 400, jitterMs: 60, lossPercent: 12 })), 'poor');
  });
});

describe('registration failures in plain words', () => {
  test('each refusal maps to what the agent can do', () => {
    const reason = (code: number, phrase: string, cause = 'Rejected') =>
      explainRegisterFailure({ cause, statusCode: code, reasonPhrase: phrase }).reason;
    assert.equal(reason(401, 'Unauthorized', 'Authentication Error'), 'wrong-credentials');
    assert.equal(reason(403, 'Extension disabled'), 'disabled');
    assert.equal(reason(403, 'Too many failed attempts'), 'too-many-attempts');
    assert.equal(reason(503, 'Service Unavailable', 'SIP Failure Code'), 'server-error');
    assert.equal(explainRegisterFailure({ cause: 'Request Timeout' }).retryable, true);
    assert.equal(explainRegisterFailure({ cause: 'Authentication Error', statusCode: 401 }).retryable, false);
  });
});

describe('call outcomes', () => {
  const outgoing = {
    cause: 'Rejected',
    originator: 'remote' as const,
    answered: false,
    direction: 'outgoing' as const,
  };
  test('failures of outgoing calls', () => {
    assert.equal(classifyEnd({ ...outgoing, cause: 'Busy', statusCode: 486 }), 'busy');
    assert.equal(classifyEnd({ ...outgoing, statusCode: 603 }), 'rejected');
    assert.equal(classifyEnd({ ...outgoing, cause: 'Not Found', statusCode: 404 }), 'not-found');
    assert.equal(classifyEnd({ ...outgoing, cause: 'Unavailable', statusCode: 480 }), 'unavailable');
    assert.equal(
      classifyEnd({ ...outgoing, statusCode: 403, reasonPhrase: 'Manual dialing not allowed' }),
      'dialing-not-allowed',
    );
    assert.equal(
      classifyEnd({
        ...outgoing,
        statusCode: 503,
        reasonPhrase: 'Outside calls are not set up on this system',
      }),
      'no-outside-calls',
    );
    assert.equal(outcomeMessage('no-outside-calls'), 'Outside calls are not set up on this system.');
    // JsSIP's cause for a 503 is 'SIP Failure Code'.
    const failure = { ...outgoing, cause: 'SIP Failure Code', statusCode: 503 };
    const noRelay = classifyEnd({ ...failure, reasonPhrase: 'Media relay unavailable' });
    assert.equal(noRelay, 'no-media-relay');
    assert.equal(
      outcomeMessage(noRelay),
      'Calls with desk phones and outside lines are not working right now. Tell your administrator.',
    );
    // Any other 503 stays a plain failure.
    assert.equal(classifyEnd({ ...failure, reasonPhrase: 'Service Unavailable' }), 'failed');
    assert.equal(classifyEnd({ ...outgoing, cause: 'Canceled', originator: 'local' }), 'canceled');
    assert.equal(classifyEnd({ ...outgoing, cause: 'No Answer', originator: 'system' }), 'no-answer');
  });
  test('incoming calls are missed, declined or completed', () => {
    const incoming = { ...outgoing, direction: 'incoming' as const };
    assert.equal(classifyEnd({ ...incoming, cause: 'Canceled', originator: 'remote' }), 'missed');
    assert.equal(classifyEnd({ ...incoming, originator: 'local' }), 'rejected');
    assert.equal(classifyEnd({ ...incoming, cause: 'Terminated', answered: true }), 'completed');
  });
});

describe('ICE cut-off', () => {
  test('a reflexive candidate ends gathering at once; otherwise the timer does', async () => {
    let ready = 0;
    const quick = new IceCutoff(50);
    quick.onCandidate({ type: 'host' } as RTCIceCandidate, () => (ready += 1));
    quick.onCandidate({ type: 'srflx' } as RTCIceCandidate, () => (ready += 1));
    assert.equal(ready, 1);
    const slow = new IceCutoff(30);
    slow.onCandidate({ type: 'host' } as RTCIceCandidate, () => (ready += 1));
    assert.equal(ready, 1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(ready, 2, 'cut off after the timeout');
    slow.onCandidate({ type: 'relay' } as RTCIceCandidate, () => (ready += 1));
    assert.equal(ready, 2, 'ready is called once');
  });
});

describe('retry backoff', () => {
  test('grows, caps, can run early and resets', async () => {
    const schedule = new RetrySchedule([10, 20, 40]);
    let runs = 0;
    const first = schedule.schedule(() => (runs += 1)) - Date.now();
    const second = schedule.schedule(() => (runs += 1)) - Date.now();
    assert.ok(second > first);
    schedule.runNow();
    assert.equal(runs, 1);
    schedule.schedule(() => (runs += 1));
    const capped = schedule.schedule(() => (runs += 1)) - Date.now();
    assert.ok(capped >= 35 && capped <= 40);
    schedule.cancel();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(runs, 1, 'a cancelled retry never runs');
  });
});

describe('password strength meter', () => {
  test('short is too short, a generated one is strong', () => {
    assert.equal(estimateStrength('short').score, 0);
    assert.equal(estimateStrength('aaaaaaaaaaaaaaaa').score, 1);
    assert.equal(estimateStrength('k7PqR-x2mZa-9fTgh-Wc4Ne').score, 4);
  });
});
