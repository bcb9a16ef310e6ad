// The operations console: a small single-page app on the admin API (docs/architecture.md, "The operations console").
// Every page has its own address; every change goes through /api/admin with the session's CSRF token. Text from the
// service is always set as text, never parsed as HTML.

const ADMIN = '/api/admin';
const ACTIONS = [
  ['force-refresh', 'Force refresh'],
  ['switch-to-client-credentials', 'Switch to client credentials'],
  ['forget-refresh-token', 'Forget refresh token'],
  ['mark-for-reinstall', 'Mark for reinstall'],
  ['retry-fallback', 'Retry fallback'],
  ['switch-back-to-refresh-token', 'Switch back to refresh token'],
];
const STATES = ['', 'INSTALLED', 'REFRESH_TOKEN_REJECTED', 'REINSTALL_REQUESTED', 'UNINSTALLED'];
const MODES = ['', 'REFRESH_TOKEN', 'CLIENT_CREDENTIALS'];
const PAGE = 50;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

let session;

/** An element with attributes (on* as listeners) and children (strings become text). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function can(group) {
  return session.groups.includes(group);
}

function link(href, text) {
  return h('a', { href, 'data-nav': true }, text);
}

function say(text, bad = false) {
  const status = document.getElementById('status');
  status.replaceChildren(h('span', { class: bad ? 'error' : 'good' }, text));
  setTimeout(() => { if (status.textContent === text) status.replaceChildren(); }, 8000);
}

/** The admin API, as the signed-in person; a change carries the CSRF token. Errors come back as {error, ...}. */
async function api(path, options = {}) {
  const headers = { Accept: 'application/json' };
  if (options.method && options.method !== 'GET') {
    headers['X-CSRF-Token'] = session.csrfToken;
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(ADMIN + path, { credentials: 'same-origin', ...options, headers });
  if (response.status === 401) {
    signIn();
    throw new Error('Your session has ended.');
  }
  const body = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new Error(body?.error_description || body?.error || `HTTP ${response.status}`);
  }
  return body;
}

function signIn() {
  location.assign('/console/login?return=' + encodeURIComponent(location.pathname + location.search));
}

function when(instant) {
  return instant ? new Date(instant).toLocaleString() : '—';
}

function table(columns, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map(([title]) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, rows.map(row => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(row)))))));
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '—')]));
}

// ---- Pages ----

async function overview() {
  const main = [h('h1', {}, 'Overview')];
  if (can('oauth-viewer') || can('oauth-admin')) {
    const health = await api('/health-summary');
    const cards = [
      ...Object.entries(health.byMode).map(([mode, n]) => card(n, 'installations on ' + mode.toLowerCase().replaceAll('_', ' '),
        `/console/installations?mode=${mode}`)),
      ...Object.entries(health.byState).map(([state, n]) => card(n, state.toLowerCase().replaceAll('_', ' '),
        `/console/installations?state=${state}`)),
      card(health.failuresLastHour, 'failures in the last hour'),
      card(health.failuresLastDay, 'failures in the last 24 hours'),
    ];
    main.push(h('div', { class: 'cards' }, cards));
    const [running, subscriptions] = await Promise.all([api('/jobs?limit=20'), api('/subscriptions')]);
    const pending = subscriptions.reduce((n, s) => n + (s.deliveries.PENDING ?? 0), 0);
    const failed = subscriptions.reduce((n, s) => n + (s.deliveries.FAILED ?? 0), 0);
    const oldestPending = subscriptions.map(s => s.oldestPendingAt).filter(Boolean).sort()[0];
    main.push(h('h2', {}, 'Jobs and events'), h('div', { class: 'cards' },
      card(running.filter(j => j.state === 'RUNNING').length, 'jobs running', '/console/jobs'),
      card(pending, 'events waiting for a receiver' + (oldestPending ? `, the oldest since ${when(oldestPending)}` : ''), '/console/events'),
      card(failed, 'deliveries given up', '/console/events')));
    const wix = health.wix;
    main.push(h('h2', {}, 'Wix, as this node saw it in the last 15 minutes'), h('div', { class: 'cards', id: 'wix-health' },
      card(wix.paused ? 'paused' : 'calling', wix.paused ? 'Wix failed for every instance: calls paused (circuit breaker open)'
        : 'calls go through' + (wix.lastPausedAt ? `; last paused ${when(wix.lastPausedAt)}` : '')),
      card(wix.calls, `calls, ${wix.failed} failed (no answer or 5xx)`),
      card(wix.p95Millis === null ? '—' : wix.p95Millis + ' ms', `95th percentile (median ${wix.p50Millis ?? '—'} ms)`),
      card(wix.throttledSinceStart, 'answers 429 since start-up' + (wix.lastThrottledAt ? `, the last ${when(wix.lastThrottledAt)}` : ''))));
    const verified = health.auditVerified;
    main.push(h('h2', {}, 'Audit chain'), h('p', { id: 'audit-verified', class: verified && !verified.intact ? 'error' : '' },
      verified ? `Last verified ${when(verified.at)} by ${verified.by}: ` + (verified.intact
        ? `intact, ${verified.entriesChecked} entries checked.` : `broken: ${verified.problem}`)
        : 'Never verified yet: an auditor verifies it on the audit page.'));
    const oldest = health.oldestUnresolvedFailure;
    main.push(h('h2', {}, 'Oldest unresolved failure'),
      oldest ? h('p', {}, link('/console/installations/' + oldest.instanceId, oldest.instanceId),
        ` ${oldest.state.toLowerCase()} since ${when(oldest.updatedAt)}: ${oldest.failureReason ?? ''}`)
        : h('p', { class: 'muted' }, 'None: every failure has been resolved.'));
  }
  if (can('oauth-auditor')) {
    main.push(h('h2', {}, 'Audit trail'), h('p', {}, link('/console/audit', 'Search, export and verify the audit trail')));
  }
  return main;
}

function card(n, label, href) {
  return h('div', { class: 'card' }, h('div', { class: 'n' }, href ? link(href, String(n)) : String(n)),
    h('div', { class: 'label' }, label));
}

async function installations(params) {
  const q = (params.get('q') || '').trim();
  const main = [h('h1', {}, 'Installations'), installationFilters(params)];
  if (q) {
    if (!UUID.test(q)) {
      main.push(h('p', { class: 'error' }, 'An instance id is a UUID, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6.'));
      return main;
    }
    try {
      const detail = await api('/installations/' + encodeURIComponent(q));
      main.push(installationTable([detail.installation]));
    } catch (e) {
      main.push(h('p', { class: 'muted' }, `No installation has the instance id ${q}.`));
    }
    return main;
  }
  const query = new URLSearchParams({ limit: PAGE });
  for (const name of ['state', 'mode', 'appId', 'cursor']) if (params.get(name)) query.set(name, params.get(name));
  const page = await api('/installations?' + query);
  main.push(installationTable(page.items));
  const pager = h('div', { class: 'pager' });
  if (params.get('cursor')) {
    const first = new URLSearchParams(params);
    first.delete('cursor');
    pager.append(link('/console/installations?' + first, 'First page'));
  }
  if (page.nextCursor) {
    const next = new URLSearchParams(params);
    next.set('cursor', page.nextCursor);
    pager.append(link('/console/installations?' + next, 'Next page'));
  }
  main.push(pager);
  return main;
}

function installationFilters(params) {
  const select = (name, values) => h('select', { name, id: 'filter-' + name },
    values.map(v => h('option', { value: v, selected: params.get(name) === v && v !== '' }, v || 'any')));
  return h('form', { class: 'filters', role: 'search', action: '/console/installations', onsubmit: submitFilters },
    h('label', { for: 'filter-q' }, 'Instance id', h('input', { id: 'filter-q', name: 'q', value: params.get('q') || '',
      size: 38, placeholder: 'an instance id' })),
    h('label', { for: 'filter-state' }, 'State', select('state', STATES)),
    h('label', { for: 'filter-mode' }, 'Mode', select('mode', MODES)),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));
}

function submitFilters(event) {
  event.preventDefault();
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(event.target)) if (value) query.set(name, value);
  go(event.target.getAttribute('action') + (query.size ? '?' + query : ''));
}

function installationTable(items) {
  return table([
    ['Instance', i => link('/console/installations/' + i.instanceId, i.instanceId)],
    ['App', i => h('span', { class: 'mono' }, i.appId)],
    ['Mode', i => i.mode],
    ['State', i => i.state],
    ['Failure', i => i.failureReason ?? ''],
    ['Updated', i => when(i.updatedAt)],
  ], items, 'No installation matches.');
}

async function installation(instanceId) {
  const detail = await api('/installations/' + encodeURIComponent(instanceId));
  const i = detail.installation;
  const main = [h('h1', {}, 'Installation ', h('span', { class: 'mono' }, i.instanceId)),
    facts([['App', i.appId], ['Mode', i.mode], ['State', i.state], ['Failure', i.failureReason],
      ['Installed', when(i.installedAt)], ['Updated', when(i.updatedAt)], ['Paid plan', i.paidPlan],
      ['Refresh token', detail.refreshTokenFingerprint ? 'sha256:' + detail.refreshTokenFingerprint
        : detail.refreshTokenStatus]])];
  if (can('oauth-admin')) {
    const dialog = h('div', { id: 'action-dialog' });
    main.push(h('h2', {}, 'Actions'),
      h('div', { class: 'actions' }, ACTIONS.map(([action, title]) =>
        h('button', { type: 'button', 'data-action': action, onclick: () => askReason(dialog, instanceId, action, title) }, title))),
      dialog);
  }
  main.push(h('h2', {}, 'History'), table([
    ['When', e => when(e.occurredAt)], ['Action', e => e.action], ['Who', e => e.actor], ['Outcome', e => e.outcome],
    ['Reason', e => e.reason ?? ''],
  ], detail.history, 'Nothing recorded yet.'));
  return main;
}

function askReason(dialog, instanceId, action, title) {
  withReason(dialog, title, [], async reason => {
    const result = await api(`/installations/${encodeURIComponent(instanceId)}/actions/${action}`,
      { method: 'POST', body: JSON.stringify({ reason }) });
    say(`${title}: ${result.outcome}`);
    render();
  });
}

/**
 * Every change needs a reason: the API records it in the audit trail with the person's name. {@code fields} are more
 * inputs the change needs; {@code act} gets the reason and the form.
 */
function withReason(dialog, title, fields, act) {
  const reason = h('textarea', { id: 'action-reason', name: 'reason', required: true, maxlength: 400 });
  const form = h('form', { class: 'dialog', onsubmit: async event => {
    event.preventDefault();
    try {
      await act(reason.value, form);
    } catch (e) {
      say(`${title} failed: ${e.message}`, true);
    }
  } },
  fields,
  h('label', { for: 'action-reason' }, `Why ${title.toLowerCase()}? (recorded in the audit trail)`, reason),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, title),
    h('button', { type: 'button', onclick: () => dialog.replaceChildren() }, 'Cancel')));
  dialog.replaceChildren(form);
  (fields.length ? form.querySelector('input') : reason).focus();
}

let jobTimer;

async function jobs() {
  const list = await api('/jobs?limit=' + PAGE);
  const main = [h('h1', {}, 'Jobs')];
  const dialog = h('div', { id: 'action-dialog' });
  if (can('oauth-admin')) {
    const start = (path, title) => withReason(dialog, title, [], async reason => {
      const job = await api('/jobs/' + path, { method: 'POST', body: JSON.stringify({ reason }) });
      say(`${title}: started (${job.id})`);
      render();
    });
    main.push(h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: () => start('reencryption', 'Re-encrypt refresh tokens') }, 'Re-encrypt refresh tokens'),
      h('button', { type: 'button', onclick: () => start('bulk-refresh', 'Refresh every token') }, 'Refresh every token'),
      h('button', { type: 'button', onclick: () => importFile(dialog) }, 'Import an install base…')), dialog);
  }
  main.push(table([
    ['Kind', j => j.kind], ['State', j => j.state], ['Progress', j => `${j.done} / ${j.total}` + (j.errors ? `, ${j.errors} errors` : '')],
    ['Rate', j => `${j.itemsPerSecond}/s`], ['Started', j => `${when(j.createdAt)} by ${j.requestedBy}`], ['Detail', j => j.detail ?? ''],
    ['', j => j.state === 'RUNNING' && can('oauth-admin') ? h('button', { type: 'button', 'data-cancel': j.id,
      onclick: () => withReason(dialog, 'Cancel the job', [], async reason => {
        await api(`/jobs/${j.id}/cancel`, { method: 'POST', body: JSON.stringify({ reason }) });
        say('Cancelled');
        render();
      }) }, 'Cancel') : ''],
  ], list, 'No job has run lately.'));
  // Progress updates by itself while a job runs.
  clearTimeout(jobTimer);
  if (list.some(j => j.state === 'RUNNING')) {
    jobTimer = setTimeout(() => { if (location.pathname.startsWith('/console/jobs') && !document.querySelector('#action-dialog form')) render(); }, 2000);
  }
  return main;
}

/** An import is checked first (a dry run that counts), then started from the same file. */
function importFile(dialog) {
  const file = h('input', { type: 'file', id: 'import-file', name: 'file', accept: '.ndjson,.jsonl,application/x-ndjson', required: true });
  const dryRun = h('input', { type: 'checkbox', id: 'import-dry-run', name: 'dryRun', checked: true });
  withReason(dialog, 'Import', [h('label', { for: 'import-file' }, 'Install base file (NDJSON)', file),
    h('label', { for: 'import-dry-run', class: 'inline' }, h('span', {}, dryRun, ' Dry run: check and count only'))],
  async reason => {
    const query = new URLSearchParams({ reason, dryRun: dryRun.checked });
    const response = await fetch(`${ADMIN}/imports?${query}`, { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-ndjson', 'X-CSRF-Token': session.csrfToken, Accept: 'application/json' },
      body: file.files[0] });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error_description || body.error);
    say(`${body.dryRun ? 'Dry run' : 'Import'}: ${body.valid} of ${body.lines} lines valid` + (body.invalid ? `, ${body.invalid} invalid` : ''));
    if (!body.dryRun) render();
    else dryRun.checked = false;
  });
}

async function subscriptions() {
  const list = await api('/subscriptions');
  return [h('h1', {}, 'Events'), h('p', { class: 'muted' }, 'Subscriptions of the company\'s backends to relayed events.'),
    table([
      ['Receiver', s => link('/console/events/' + s.id, s.url)],
      ['State', s => s.state + (s.stateReason ? ` (${s.stateReason})` : '')],
      ['Events', s => s.eventTypes.join(', ')],
      ['Pending', s => String(s.deliveries.PENDING ?? 0)],
      ['Delivered', s => String(s.deliveries.DELIVERED ?? 0)],
      ['Failed', s => String(s.deliveries.FAILED ?? 0)],
      ['Oldest pending', s => when(s.oldestPendingAt)],
    ], list, 'No subscription yet.')];
}

async function subscription(id, params) {
  const s = await api('/subscriptions/' + encodeURIComponent(id));
  const state = (params.get('state') || '').toLowerCase();
  const query = new URLSearchParams({ limit: PAGE });
  if (state) query.set('state', state);
  const deliveries = await api(`/subscriptions/${encodeURIComponent(id)}/deliveries?` + query);
  const main = [h('h1', {}, 'Subscription'), facts([['Receiver', s.url], ['State', s.state], ['Why', s.stateReason],
    ['Events', s.eventTypes.join(', ')], ['Apps', (s.appIds || []).join(', ')], ['Created', `${when(s.createdAt)} by ${s.createdBy}`],
    ['Deliveries', Object.entries(s.deliveries).map(([k, v]) => `${k.toLowerCase()} ${v}`).join(', ')],
    ['Oldest pending', when(s.oldestPendingAt)]])];
  const dialog = h('div', { id: 'action-dialog' });
  const base = '/subscriptions/' + encodeURIComponent(id);
  if (can('oauth-admin')) {
    const post = (path, reason) => api(base + path, { method: 'POST', body: JSON.stringify({ reason }) });
    const since = h('input', { id: 'replay-since', name: 'since', required: true, placeholder: '2026-12-01T00:00:00Z' });
    main.push(h('h2', {}, 'Actions'), h('div', { class: 'actions' },
      s.state === 'PAUSED'
        ? h('button', { type: 'button', onclick: () => withReason(dialog, 'Resume', [], async r => { await post('/resume', r); say('Resumed'); render(); }) }, 'Resume')
        : h('button', { type: 'button', onclick: () => withReason(dialog, 'Pause', [], async r => { await post('/pause', r); say('Paused'); render(); }) }, 'Pause'),
      h('button', { type: 'button', onclick: () => withReason(dialog, 'Replay', [h('label', { for: 'replay-since' }, 'Replay events since', since)],
        async r => {
          const answer = await api(`${base}/replay?since=${encodeURIComponent(since.value.trim())}`, { method: 'POST', body: JSON.stringify({ reason: r }) });
          say(`Replay: ${answer.queued} events queued`);
          render();
        }) }, 'Replay since…'),
      h('button', { type: 'button', onclick: () => withReason(dialog, 'Rotate the secret', [], async r => {
        const rotated = await post('/secret', r);
        // Shown this once: the API never answers it again.
        dialog.replaceChildren(h('div', { class: 'dialog' }, h('p', {}, 'The new signing secret, shown this once. Give it to the receiver now; '
          + `the previous one still signs until ${when(rotated.previousSecretValidUntil)}.`), h('p', { class: 'mono', id: 'new-secret' }, rotated.secret)));
      }) }, 'Rotate secret')), dialog);
  }
  const filter = h('p', {}, 'Show: ', ['', 'pending', 'delivered', 'failed'].flatMap(v => [
    v === state ? h('strong', {}, v || 'all') : link(`/console/events/${id}` + (v ? '?state=' + v : ''), v || 'all'), ' ']));
  main.push(h('h2', {}, 'Deliveries'), filter, table([
    ['Event', d => h('span', { class: 'mono' }, d.eventType)],
    ['Instance', d => d.instanceId ? link('/console/installations/' + d.instanceId, d.instanceId) : ''],
    ['State', d => d.state], ['Attempts', d => String(d.attempts)],
    ['Last status', d => d.lastStatus ? String(d.lastStatus) : (d.lastError ?? '')],
    ['Last attempt', d => when(d.lastAttemptAt)],
    ['', d => d.state === 'FAILED' && can('oauth-admin') ? h('button', { type: 'button', 'data-retry': String(d.id),
      onclick: () => withReason(dialog, 'Retry', [], async r => {
        await api(`${base}/deliveries/${d.id}/retry`, { method: 'POST', body: JSON.stringify({ reason: r }) });
        say('Retry queued');
        render();
      }) }, 'Retry') : ''],
  ], deliveries, 'No delivery in this state.'));
  return main;
}

const AUDIT_FILTERS = { instanceId: 'Instance id', appId: 'App id', actor: 'Who', action: 'Action',
  since: 'Since', until: 'Until' };

async function audit(params) {
  const main = [h('h1', {}, 'Audit trail')];
  const fields = ['instanceId', 'appId', 'actor', 'action', 'since', 'until'];
  main.push(h('form', { class: 'filters', role: 'search', action: '/console/audit', onsubmit: submitFilters },
    fields.map(name => h('label', { for: 'audit-' + name }, AUDIT_FILTERS[name],
      h('input', { id: 'audit-' + name, name, value: params.get(name) || '',
        placeholder: name === 'since' || name === 'until' ? '2026-12-01T00:00:00Z' : '' }))),
    h('button', { type: 'submit', class: 'primary' }, 'Search')));
  const query = new URLSearchParams({ limit: PAGE });
  for (const name of [...fields, 'cursor']) if (params.get(name)) query.set(name, params.get(name));
  const entries = await api('/audit?' + query);
  const exportQuery = new URLSearchParams(query);
  exportQuery.delete('limit');
  exportQuery.delete('cursor');
  main.push(h('p', {}, h('a', { href: ADMIN + '/audit/export?' + exportQuery, download: 'audit.jsonl' },
    'Export the matching entries (JSON lines)')));
  main.push(table([
    ['#', e => String(e.seq)], ['When', e => when(e.occurredAt)], ['Action', e => e.action], ['Who', e => e.actor],
    ['Instance', e => e.instanceId ? link('/console/installations/' + e.instanceId, e.instanceId) : ''],
    ['Outcome', e => e.outcome], ['Reason', e => e.reason ?? ''],
  ], entries, 'No entry matches.'));
  if (entries.length === PAGE) {
    const next = new URLSearchParams(params);
    next.set('cursor', entries[entries.length - 1].seq);
    main.push(h('div', { class: 'pager' }, link('/console/audit?' + next, 'Next page')));
  }
  const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const checkpoint = h('input', { id: 'checkpoint', name: 'checkpoint', size: 60, placeholder: 'seq:hash from the SIEM' });
  main.push(h('h2', {}, 'Verify the chain'), h('form', { class: 'filters', onsubmit: async event => {
    event.preventDefault();
    result.replaceChildren('Verifying…');
    try {
      const v = await api('/audit/verify' + (checkpoint.value.trim() ? '?checkpoint=' + encodeURIComponent(checkpoint.value.trim()) : ''));
      result.replaceChildren(h('p', { class: v.intact ? 'good' : 'error' },
        v.intact ? `Intact: ${v.entriesChecked} entries checked.` : `Broken at entry ${v.firstBrokenSeq}: ${v.problem}`));
    } catch (e) {
      result.replaceChildren(h('p', { class: 'error' }, e.message));
    }
  } }, h('label', { for: 'checkpoint' }, 'Checkpoint (optional)', checkpoint),
  h('button', { type: 'submit' }, 'Verify')), result);
  return main;
}

function noPage() {
  return [h('h1', {}, 'Not found'), h('p', {}, 'There is no such page. ', link('/console/', 'Back to the overview'))];
}

function forbidden(what) {
  return [h('h1', {}, 'Not for your groups'), h('p', {}, `${what} is for other groups than yours (${session.groups.join(', ')}).`)];
}

// ---- Frame ----

const ROUTES = [
  [/^\/console\/?$/, () => overview(), null],
  [/^\/console\/installations\/?$/, p => installations(p), ['oauth-viewer', 'oauth-admin']],
  [/^\/console\/installations\/([0-9a-fA-F-]{36})$/, (p, m) => installation(m[1]), ['oauth-viewer', 'oauth-admin']],
  [/^\/console\/audit\/?$/, p => audit(p), ['oauth-auditor']],
  [/^\/console\/jobs\/?$/, () => jobs(), ['oauth-viewer', 'oauth-admin']],
  [/^\/console\/events\/?$/, () => subscriptions(), ['oauth-viewer', 'oauth-admin']],
  [/^\/console\/events\/([0-9a-zA-Z-]{1,64})$/, (p, m) => subscription(m[1], p), ['oauth-viewer', 'oauth-admin']],
];

function navigation() {
  const here = location.pathname;
  const items = [['/console/', 'Overview', null], ['/console/installations', 'Installations', ['oauth-viewer', 'oauth-admin']],
    ['/console/jobs', 'Jobs', ['oauth-viewer', 'oauth-admin']], ['/console/events', 'Events', ['oauth-viewer', 'oauth-admin']], ['/console/audit', 'Audit', ['oauth-auditor']]];
  document.getElementById('nav').replaceChildren(...items
    .filter(([, , groups]) => !groups || groups.some(can))
    .map(([href, title]) => h('a', { href, 'data-nav': true,
      'aria-current': (href === '/console/' ? here === href : here.startsWith(href)) ? 'page' : null }, title)));
  document.getElementById('who').replaceChildren(
    h('span', { id: 'person' }, session.name),
    h('form', { method: 'post', action: '/console/logout' },
      h('input', { type: 'hidden', name: 'csrf', value: session.csrfToken }),
      h('button', { type: 'submit', class: 'link' }, 'Sign out')));
}

async function render() {
  const main = document.getElementById('main');
  const params = new URLSearchParams(location.search);
  const route = ROUTES.map(([pattern, page, groups]) => [location.pathname.match(pattern), page, groups])
    .find(([match]) => match);
  navigation();
  let content;
  try {
    if (!route) content = noPage();
    else if (route[2] && !route[2].some(can)) content = forbidden('This page');
    else content = await route[1](params, route[0]);
  } catch (e) {
    content = [h('h1', {}, 'Could not load this page'), h('p', { class: 'error' }, e.message)];
  }
  main.replaceChildren(...content);
  const title = main.querySelector('h1');
  document.title = (title ? title.textContent + ' | ' : '') + 'Wix OAuth console';
}

function go(href) {
  history.pushState(null, '', href);
  render().then(() => document.getElementById('main').focus());
}

document.addEventListener('click', event => {
  const a = event.target.closest('a[data-nav]');
  if (a && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
    event.preventDefault();
    go(a.getAttribute('href'));
  }
});
window.addEventListener('popstate', render);

(async () => {
  const answer = await fetch('/console/session', { credentials: 'same-origin' });
  if (answer.status === 401) {
    signIn();
    return;
  }
  session = await answer.json();
  await render();
})();
