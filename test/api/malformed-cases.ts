/** One malformed request and, where it matters, what its message must mention. */
export interface MalformedCase {
  name: string;
  method: 'POST' | 'PUT' | 'GET' | 'DELETE';
  url: string;
  payload?: string;
  headers?: Record<string, string>;
  auth?: boolean;
  expect?: RegExp;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const LOGIN = '/api/v1/sessions';
const PASSWORD = '/api/v1/me/password';

const login = (name: string, payload: string, expect?: RegExp): MalformedCase => ({
  name: `login ${name}`,
  method: 'POST',
  url: LOGIN,
  payload,
  headers: JSON_HEADERS,
  ...(expect ? { expect } : {}),
});

const change = (name: string, payload: string, expect?: RegExp): MalformedCase => ({
  name: `password ${name}`,
  method: 'PUT',
  url: PASSWORD,
  payload,
  headers: JSON_HEADERS,
  auth: true,
  ...(expect ? { expect } : {}),
});

const bearer = (name: string, authorization: string): MalformedCase => ({
  name: `auth ${name}`,
  method: 'GET',
  url: '/api/v1/me',
  headers: { authorization },
  expect: /Log in|session/,
});

export const MALFORMED: MalformedCase[] = [
  login('invalid JSON', '{"extension": "1001",', /not valid JSON/i),
  login('truncated JSON', '{', /not valid JSON/i),
  login('single quotes', "{'extension':'1001'}", /not valid JSON/),
  login('empty body', '', /empty/i),
  login('JSON null', 'null', /request body|object/i),
  login('JSON array', '[]', /request body|object/i),
  login('JSON string', '"1001"', /request body|object/i),
  login('JSON number', '42', /request body|object/i),
  login('JSON true', 'true', /request body|object/i),
  login('empty object', '{}', /extension/i),
  login('missing password', '{"extension":"1001"}', /password/i),
  login('missing extension', '{"password":"x-long-password-here"}', /extension/i),
  login('extension as number', '{"extension":1001,"password":"abc-def-ghi-jkl"}', /extension/i),
  login('extension null', '{"extension":null,"password":"abc-def-ghi-jkl"}', /extension/i),
  login('extension array', '{"extension":["1001"],"password":"abc-def-ghi-jkl"}', /extension/i),
  login('extension object', '{"extension":{"n":1},"password":"abc-def-ghi-jkl"}', /extension/i),
  login('3-digit extension', '{"extension":"100","password":"abc-def-ghi-jkl"}', /4 to 8 digits/i),
  login('9-digit extension', '{"extension":"123456789","password":"abc-def-ghi-jkl"}', /4 to 8 digits/i),
  login('letters in extension', '{"extension":"10a1","password":"abc-def-ghi-jkl"}', /4 to 8 digits/i),
  login('unicode digits', '{"extension":"١٠٠١","password":"abc-def-ghi-jkl"}', /4 to 8 digits/i),
  login('extension with spaces', '{"extension":" 1001 ","password":"abc-def-ghi-jkl"}', /4 to 8 digits/i),
  login('SQL in extension', '{"extension":"1001\' OR 1=1 --","password":"x"}', /4 to 8 digits/i),
  login('empty password', '{"extension":"1001","password":""}', /password/i),
  login('password as number', '{"extension":"1001","password":12345}', /password/i),
  login('password null', '{"extension":"1001","password":null}', /password/i),
  login('password object', '{"extension":"1001","password":{"a":1}}', /password/i),
  login('huge password', JSON.stringify({ extension: '1001', password: 'p'.repeat(5000) }), /too long/),
  login('extra field', '{"extension":"1001","password":"abc-def-ghi-jkl","admin":true}', /admin|key/i),
  login(
    'huge extra field',
    JSON.stringify({ extension: '1001', password: 'abc', junk: 'j'.repeat(20000) }),
    /junk|key/i,
  ),
  login('prototype pollution', '{"extension":"1001","password":"abc","__proto__":{"x":1}}'),
  login('duplicate nested', '{"extension":"1001","password":"abc","nested":{"deep":[1,2,3]}}', /nested|key/i),
  {
    name: 'login form-encoded',
    method: 'POST',
    url: LOGIN,
    payload: 'extension=1001&password=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    expect: /JSON/,
  },
  {
    name: 'login text/plain',
    method: 'POST',
    url: LOGIN,
    payload: '{"extension":"1001"}',
    headers: { 'content-type': 'text/plain' },
    expect: /JSON/,
  },
  {
    name: 'login xml',
    method: 'POST',
    url: LOGIN,
    payload: '<login/>',
    headers: { 'content-type': 'application/xml' },
    expect: /JSON/,
  },
  { name: 'login no content-type', method: 'POST', url: LOGIN, payload: 'abc', headers: {} },
  {
    name: 'login oversize body',
    method: 'POST',
    url: LOGIN,
    payload: JSON.stringify({ extension: '1001', password: 'x'.repeat(70 * 1024) }),
    headers: JSON_HEADERS,
    expect: /too large/,
  },
  change('invalid JSON', '{"currentPassword":', /not valid JSON/i),
  change('empty object', '{}', /currentPassword|current password/i),
  change('missing new', '{"currentPassword":"abc"}', /newPassword|new password/i),
  change('new as number', '{"currentPassword":"abc","newPassword":123456789012345}', /new password/i),
  change('new as array', '{"currentPassword":"abc","newPassword":["a"]}', /new password/i),
  change('current null', '{"currentPassword":null,"newPassword":"abc"}', /current password/i),
  change('array body', '[{"currentPassword":"a"}]'),
  change('extra field', '{"currentPassword":"a","newPassword":"b","extension":"1001"}', /extension|key/i),
  change(
    'huge new password',
    JSON.stringify({ currentPassword: 'a', newPassword: 'n'.repeat(3000) }),
    /too long/,
  ),
  change('empty new password', '{"currentPassword":"abc","newPassword":""}', /new password/i),
  {
    name: 'password without auth',
    method: 'PUT',
    url: PASSWORD,
    payload: '{}',
    headers: JSON_HEADERS,
    expect: /Log in/,
  },
  { name: 'suggestions without auth', method: 'POST', url: '/api/v1/password-suggestions', expect: /Log in/ },
  { name: 'logout without auth', method: 'DELETE', url: '/api/v1/sessions/current', expect: /Log in/ },
  bearer('missing scheme', 'abcdefghijklmnopqrstuvwxyz'),
  bearer('basic scheme', 'Basic dXNlcjpwYXNz'),
  bearer('empty bearer', 'Bearer '),
  bearer('short token', 'Bearer abc'),
  bearer('token with spaces', 'Bearer abc def ghi jkl mno pqr'),
  bearer('unknown token', 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
  bearer('token with quotes', 'Bearer "AAAAAAAAAAAAAAAAAAAAAAAAAAA"'),
  bearer('lowercase bearer', 'bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
  bearer('huge token', `Bearer ${'A'.repeat(5000)}`),
  login('NUL in extension', '{"extension":"10\\u000001","password":"abc-def-ghi-jkl"}', /extension/i),
  login('NUL in password', '{"extension":"1001","password":"abc\\u0000def-ghi-jkl"}', /password.*control/i),
  login('bidi override in password', '{"extension":"1001","password":"abc\\u202Edef-ghi"}', /direction/i),
  login('lone surrogate', '{"extension":"1001","password":"abc\\ud800def-ghi"}', /Unicode/i),
  login('NUL in a field name', '{"extension":"1001","password":"abc-def","x\\u0000y":1}', /field name/i),
  login('deep nesting', `{"extension":"1001","password":"p","x":${'['.repeat(5000)}${']'.repeat(5000)}}`),
  {
    name: 'admin login NUL in username',
    method: 'POST',
    url: '/api/v1/admin/sessions',
    payload: '{"username":"ad\\u0000min","password":"x"}',
    headers: JSON_HEADERS,
    expect: /Username contains a control character/,
  },
  {
    name: 'unknown query parameter',
    method: 'GET',
    url: '/api/v1/me?debug=1',
    auth: true,
    expect: /"debug"/,
  },
  { name: 'array query parameter', method: 'GET', url: '/api/health?x[]=1', expect: /"x\[\]" is not/ },
  { name: 'NUL in a query parameter name', method: 'GET', url: '/api/health?a%00=1', expect: /control/ },
  { name: 'bad percent escape', method: 'GET', url: '/api/v1/%zz', expect: /not valid/ },
  {
    name: 'over-long path parameter',
    method: 'GET',
    url: `/api/v1/admin/extensions/${'1'.repeat(200)}`,
    expect: /too long/,
  },
  { name: 'over-long address', method: 'GET', url: `/api/health?${'a'.repeat(5000)}`, expect: /4,096/ },
  { name: 'wrong method on me', method: 'DELETE', url: '/api/v1/me', auth: true, expect: /There is no/ },
  { name: 'unknown v1 route', method: 'GET', url: '/api/v1/extensions', expect: /There is no/ },
];
