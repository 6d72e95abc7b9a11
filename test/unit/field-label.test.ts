// Validation errors name fields in plain words: admins read them in the console, so never a
// dotted path such as `allowedIps.0` or a camelCase key such as `callLimit`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldLabel, plainFieldMessage } from '../../server/api/validation.ts';

describe('field labels', () => {
  test('camelCase keys become words, acronyms stay upper case, indexes become entries', () => {
    assert.equal(fieldLabel(['callLimit']), 'Call limit');
    assert.equal(fieldLabel(['allowedIps', 0]), 'Allowed IPs, entry 1');
    assert.equal(fieldLabel(['allowedIps', '2']), 'Allowed IPs, entry 3');
    assert.equal(fieldLabel(['name']), 'Name');
    assert.equal(fieldLabel([]), 'The request body');
  });

  test('a message that starts with its key reads as a sentence; others get the label in front', () => {
    assert.equal(plainFieldMessage(['callLimit'], 'callLimit is at least 1'), 'Call limit is at least 1');
    assert.equal(plainFieldMessage(['name'], 'name must be a string'), 'Name must be a string');
    assert.equal(
      plainFieldMessage(['allowedIps', 0], 'each entry is an IP address or CIDR range'),
      'Allowed IPs, entry 1: each entry is an IP address or CIDR range',
    );
    assert.equal(
      plainFieldMessage(['number'], 'an extension number has 4 to 8 digits'),
      'Number: an extension number has 4 to 8 digits',
    );
  });
});
