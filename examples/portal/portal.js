// The portal's side of the integration: click-to-call, caller lookup (screen-pop) and an event log.
const CUSTOMERS = [
  { name: 'Grace Hopper', company: 'Navy Labs', phone: '1002' },
  { name: 'Alan Turing', company: 'Bletchley Ltd', phone: '1003' },
  { name: 'Ada Lovelace', company: 'Analytical Engines', phone: '+44 20 7946 0000' },
];

const phone = document.querySelector('earshot-softphone');
const log = document.querySelector('#events');

function logEvent(text) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  log.prepend(item);
}

for (const customer of CUSTOMERS) {
  const row = document.createElement('tr');
  const link = document.createElement('a');
  link.href = `tel:${customer.phone}`;
  link.textContent = customer.phone;
  link.dataset.callTo = customer.phone;
  row.append(
    ...[customer.name, customer.company].map((text) =>
      Object.assign(document.createElement('td'), { textContent: text }),
    ),
  );
  const cell = document.createElement('td');
  cell.append(link);
  row.append(cell);
  document.querySelector('#customers').append(row);
}

// Click-to-call: the widget refuses with a clear message when manual dialing is off.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-call-to]');
  if (!link) return;
  event.preventDefault();
  phone.call(link.dataset.callTo).catch((error) => logEvent(`call refused: ${error.message}`));
});

// Screen-pop: the widget asks the portal who is calling.
phone.callerLookup = (number) => {
  const customer = CUSTOMERS.find((c) => c.phone.replace(/\D/g, '') === number.replace(/\D/g, ''));
  return customer ? `${customer.name} (${customer.company})` : null;
};

for (const name of [
  'earshot-registered',
  'earshot-unregistered',
  'earshot-registration-failed',
  'earshot-incoming-call',
  'earshot-call-started',
  'earshot-call-ended',
  'earshot-password-changed',
]) {
  phone.addEventListener(name, (event) => {
    const detail = event.call ?? event.detail ?? event.extension ?? event.message ?? '';
    logEvent(`${name} ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  });
}
