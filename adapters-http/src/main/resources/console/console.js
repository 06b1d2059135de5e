// The console: a page per view, each drawn from the gateway's admin and usage APIs with the signed-in key.
// No framework and no build step: one module, small enough to read in one go.

const main = document.getElementById('main');
const signInForm = main.innerHTML;
let key = sessionStorage.getItem('sluice.key');

/** A call to the gateway's API with the signed-in key; its JSON, or an Error carrying the API's message. */
async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { 'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json', ...(options.headers || {}) },
  });
  if (response.status === 204) return null;
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((body.error && body.error.message) || ('HTTP ' + response.status));
  return body;
}

/** Text as HTML, escaped: every value drawn comes from the API, some of it typed by callers. */
function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** Dollars as the ledger has them (a decimal string), to the cent or, under a cent, to six places. */
function usd(text) {
  const n = Number(text);
  return '$' + (n !== 0 && Math.abs(n) < 0.01 ? n.toFixed(6) : n.toFixed(2));
}

function table(headers, rows) {
  return '<table><thead><tr>' + headers.map(h => `<th class="${h.num ? 'num' : ''}">${esc(h.label)}</th>`).join('') + '</tr></thead><tbody>'
    + rows.map(r => '<tr>' + r.map((cell, i) => `<td class="${headers[i].num ? 'num' : ''}">${cell}</td>`).join('') + '</tr>').join('')
    + '</tbody></table>';
}

const startOfDay = () => { const d = new Date(); d.setUTCHours(0, 0, 0, 0); return Math.floor(d / 1000); };
const startOfMonth = () => { const d = new Date(); d.setUTCDate(1); d.setUTCHours(0, 0, 0, 0); return Math.floor(d / 1000); };
const now = () => Math.floor(Date.now() / 1000) + 1;

/** Spend: the admin key sees everyone's (/admin/usage), a gateway key its owner's (/v1/usage). */
async function usage(params) {
  const query = new URLSearchParams(params).toString();
  try {
    return await api('/admin/usage?' + query);
  } catch (e) {
    return api('/v1/usage?' + query);
  }
}

/** The spend page's tables of today's spend: by model, owner, API key, end user and route. */
const SPEND_GROUPS = [{ by: 'model', label: 'Model' }, { by: 'owner', label: 'Owner' }, { by: 'key', label: 'Key' },
  { by: 'user', label: 'User' }, { by: 'route', label: 'Route' }];

const views = {
  async spend() {
    const today_ = group => usage({ start_time: startOfDay(), end_time: now(), group_by: group });
    const [today, month, daily, ...groups] = await Promise.all([
      usage({ start_time: startOfDay(), end_time: now() }),
      usage({ start_time: startOfMonth(), end_time: now() }),
      usage({ start_time: startOfDay() - 29 * 86400, end_time: now(), group_by: 'day' }),
      ...SPEND_GROUPS.map(g => today_(g.by)),
    ]);
    // one bar a day for the 30 days, a day without spend a bar of nothing
    const byDay = Object.fromEntries(daily.data.map(d => [String(d.day).slice(0, 10), Number(d.cost_usd)]));
    const days = Array.from({ length: 30 }, (_, i) => new Date((startOfDay() - (29 - i) * 86400) * 1000).toISOString().slice(0, 10));
    const most = Math.max(...days.map(d => byDay[d] || 0), 0);
    const bars = days.map(d => `<div title="${esc(d)}: ${esc(usd(byDay[d] || 0))}" style="height:${most ? 100 * (byDay[d] || 0) / most : 0}%"></div>`);
    const money = [{ label: 'Requests', num: true }, { label: 'Input tokens', num: true }, { label: 'Output tokens', num: true }, { label: 'Cost', num: true }];
    const sums = r => [esc(r.requests), esc(r.input_tokens), esc(r.output_tokens), esc(usd(r.cost_usd))];
    return `<h1>Spend</h1>
      <div class="cards">
        <div class="card">Today<div class="figure" id="spend-today" data-usd="${esc(today.total.cost_usd)}">${esc(usd(today.total.cost_usd))}</div>${esc(today.total.requests)} requests</div>
        <div class="card">This month<div class="figure" id="spend-month">${esc(usd(month.total.cost_usd))}</div>${esc(month.total.requests)} requests</div>
        <div class="card">Cache savings today<div class="figure">${esc(usd(today.total.saved_usd ?? 0))}</div>${esc(today.total.cache_hits ?? 0)} hits</div>
      </div>
      <h2>The last 30 days</h2><div class="chart" id="spend-chart">${bars.join('')}</div>
      ${SPEND_GROUPS.map((g, i) => `<h2>Today by ${esc(g.label.toLowerCase())}</h2>
        <div id="spend-by-${esc(g.by)}">${table([{ label: g.label }, ...money], groups[i].data.map(r => [esc(r[g.by] ?? '-'), ...sums(r)]))}</div>`).join('')}`;
  },

  // each cap in its period: spent, held by calls in flight, and when it runs out at today's pace
  async budgets() {
    const list = await api(isAdmin() ? '/admin/budgets' : '/v1/budgets');
    const when = b => b.projected_exhaustion_at == null ? 'lasts the period'
      : new Date(b.projected_exhaustion_at * 1000).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    return `<h1>Budgets</h1>
      ${list.data.length === 0 ? '<p>No cap has counted a call in its current period.</p>' : ''}
      ${table([{ label: 'Budget' }, { label: 'Scope' }, { label: 'Period' }, { label: 'Cap', num: true }, { label: 'Spent', num: true },
        { label: 'Reserved', num: true }, { label: 'Used', num: true }, { label: 'Runs out' }],
        list.data.map(b => [esc(b.id), esc(b.scope), esc(b.period), esc(usd(b.limit_usd)), esc(usd(b.spent_usd)), esc(usd(b.reserved_usd)),
          `<span class="${b.used_ratio >= 0.8 ? 'state-open' : ''}">${esc((100 * b.used_ratio).toFixed(1))}%</span>`, esc(when(b))]))}`;
  },

  async upstreams() {
    const u = await api('/admin/upstreams');
    return `<h1>Upstreams</h1>
      <p>Live: drawn again every ${LIVE_SECONDS} s. Errors count this replica's failed attempts since it started.</p>
      <h2>Endpoints</h2>${table([{ label: 'Model' }, { label: 'Endpoint' }, { label: 'State' }, { label: 'Latency EWMA (ms)', num: true }, { label: 'Failure rate', num: true },
        { label: 'Errors by class' }],
        u.endpoints.map(e => [esc(e.model), esc(e.endpoint), `<span class="state-${esc(e.state)}">${esc(e.state)}</span>`,
          esc(e.latency_ewma_ms == null || Number.isNaN(e.latency_ewma_ms) ? '-' : Math.round(e.latency_ewma_ms)), esc((100 * (e.failure_rate_ewma || 0)).toFixed(1) + '%'),
          `<span class="errors">${esc(Object.entries(e.errors || {}).map(([type, n]) => type + ' ' + n).join(', ') || 'none')}</span>`]))}
      <h2>Keys</h2>${table([{ label: 'Endpoint' }, { label: 'Key' }, { label: 'State' }, { label: 'Retry in (s)', num: true }, { label: '' }],
        u.keys.map(k => [esc(k.endpoint), esc(k.key), `<span class="state-${esc(k.state)}">${esc(k.state)}</span>`, esc(k.retry_in_s),
          (k.state === 'disabled' ? `<button type="button" data-enable="${esc(k.key)}" data-endpoint="${esc(k.endpoint)}">Enable</button> ` : '')
          + (k.key.includes('-rt-') ? `<button type="button" data-remove="${esc(k.key)}" data-endpoint="${esc(k.endpoint)}">Remove</button>` : '')]))}
      <form class="inline" id="add-upstream-key">
        <label>Endpoint <select name="endpoint">${[...new Set(u.keys.map(k => k.endpoint))].map(e => `<option>${esc(e)}</option>`).join('')}</select></label>
        <label>API key <input name="api_key" type="password" autocomplete="off" required maxlength="1024"></label>
        <label>RPM <input name="rpm" type="number" min="0" value="0"></label>
        <label>TPM <input name="tpm" type="number" min="0" value="0"></label>
        <button type="submit">Add key</button>
      </form>
      <p id="upstreams-message" role="status"></p>
      <h2>Circuits</h2>${table([{ label: 'Circuit' }, { label: 'State' }],
        Object.entries(u.circuits).map(([name, state]) => [esc(name), `<span class="state-${esc(String(state).toLowerCase())}">${esc(state)}</span>`]))}`;
  },

  async keys() {
    const list = await api('/admin/keys');
    keyPolicies = Object.fromEntries(list.data.map(k => [k.id, POLICY_PARTS.reduce((p, part) => (k[part] == null ? p : { ...p, [part]: k[part] }), {})]));
    const budgets = k => Object.entries(k.budgets || {}).filter(([, v]) => v != null).map(([p, v]) => `${p} ${usd(v)}`).join(', ');
    return `<h1>Keys</h1>
      <form class="inline" id="create-key">
        <label>Owner <input name="owner" required maxlength="128"></label>
        <label>Name <input name="name" maxlength="128"></label>
        <button type="submit">Create</button>
      </form>
      <p id="new-key"></p>
      ${table([{ label: 'Id' }, { label: 'Owner' }, { label: 'Name' }, { label: 'Created' }, { label: 'Limits' }, { label: 'Budgets' }, { label: 'State' }, { label: '' }],
        list.data.map(k => [esc(k.id), esc(k.owner), esc(k.name), esc(new Date(k.created_at * 1000).toISOString().slice(0, 16)),
          esc(`${(k.limits && k.limits.rpm) || 0} rpm, ${(k.limits && k.limits.tpm) || 0} tpm`), esc(budgets(k)),
          k.revoked_at ? 'revoked' : 'active', k.revoked_at ? '' : `<button type="button" data-policy="${esc(k.id)}">Policy</button>
            <button type="button" data-revoke="${esc(k.id)}">Revoke</button>`]))}
      <form id="policy-form" hidden>
        <h2>Policy of <span id="policy-key"></span></h2>
        <p>As <code>PUT /admin/keys/{id}/policy</code> takes it: <code>defaults</code>, <code>limits</code>, <code>budgets</code>,
          <code>priority</code>, <code>response_cache</code>, <code>fallback_reply</code>.</p>
        <textarea name="policy" rows="12" cols="80" spellcheck="false"></textarea>
        <p><button type="submit">Save policy</button></p>
      </form>
      <p id="policy-message" role="status"></p>`;
  },

  async routes() {
    const routes = await api('/admin/routes');
    // a chain is edited as "model:capability, ..." (most capable first); its inputs belong to the route's chains form
    const chainText = d => d.chain.map((model, i) => model + ':' + (d.capabilities || [])[i]).join(', ');
    return '<h1>Routes</h1>' + routes.data.map((r, n) => `
      <h2>${esc(r.name)}${r.active_window ? ' (window ' + esc(r.active_window) + ')' : ''}</h2>
      <form class="inline chains" id="chains-${n}" data-route="${esc(r.name)}"></form>
      <form class="inline weights" data-route="${esc(r.name)}">
        ${table([{ label: 'Deployment' }, { label: 'Chain (model:capability, most capable first)' }, { label: 'Weight' }, { label: 'Requests', num: true },
          { label: 'Error rate', num: true }, { label: 'p95 (ms)', num: true }],
          r.deployments.map(d => [esc(d.name),
            `<input class="chain" size="40" form="chains-${n}" name="${esc(d.name)}" value="${esc(chainText(d))}" data-was="${esc(chainText(d))}">`,
            `<input type="number" min="0" name="${esc(d.name)}" value="${esc(d.weight)}">`, esc(d.health.requests),
            esc((100 * d.health.error_rate).toFixed(1) + '%'), esc(d.health.p95_ms == null ? '-' : Math.round(d.health.p95_ms))]))}
        <button type="submit">Save weights</button>
        <button type="submit" form="chains-${n}">Save chains</button>
      </form>`).join('') + '<p id="routes-message" role="status"></p>';
  },

  // the admin reads any owner's conversations (/admin/owners/{owner}/...), a gateway key its owner's (/v1/...)
  async conversations(arg) {
    const query = new URLSearchParams(arg || '');
    const admin = isAdmin();
    const base = admin ? (query.get('owner') ? '/admin/owners/' + encodeURIComponent(query.get('owner')) : null) : '/v1';
    const search = `<form class="inline" id="find-conversations">
        ${admin ? `<label>Owner <input name="owner" required maxlength="200" value="${esc(query.get('owner'))}"></label>` : ''}
        <label>User <input name="user" maxlength="256" value="${esc(query.get('user'))}"></label>
        <button type="submit">Search</button></form>`;
    if (!base) return `<h1>Conversations</h1>${search}<p>Name an owner to list their conversations.</p>`;
    const params = new URLSearchParams({ limit: 50 });
    if (query.get('user')) params.set('user', query.get('user'));
    const list = await api(base + '/conversations?' + params);
    const link = c => '#/conversation/' + encodeURIComponent(new URLSearchParams({ id: c.id, owner: query.get('owner') || '' }).toString());
    return `<h1>Conversations</h1>${search}
      ${table([{ label: 'Id' }, { label: 'User' }, { label: 'Created' }, { label: 'Messages', num: true }, { label: 'Tokens', num: true }],
        list.data.map(c => [`<a href="${link(c)}">${esc(c.id)}</a>`, esc(c.user), esc(new Date(c.created_at * 1000).toISOString().slice(0, 16)),
          esc(c.stats ? c.stats.messages : ''), esc(c.stats ? c.stats.tokens : '')]))}`;
  },

  // each turn as it was sent: the answer's metadata keeps the context's strategy, tokens, messages and summary
  async conversation(arg) {
    const query = new URLSearchParams(arg || '');
    const base = isAdmin() ? '/admin/owners/' + encodeURIComponent(query.get('owner') || '-') : '/v1';
    const id = query.get('id') || '';
    const items = await api(base + '/conversations/' + encodeURIComponent(id) + '/items?limit=100');
    const answers = items.data.filter(m => m.metadata && m.metadata.context_strategy);
    const cost = answers.reduce((sum, m) => sum + Number(m.metadata.cost_usd || 0), 0);
    const context = m => {
      const md = m.metadata || {};
      if (!md.context_strategy) return '';
      return `<span class="context">${esc(md.context_strategy)}: ${esc(md.context_tokens)} tokens, ${esc(md.context_messages)} stored messages`
        + (md.summary_through_seq ? `, summary of #1–${esc(md.summary_through_seq)} (${esc(md.summary_tokens)} tokens)` : '') + '</span>';
    };
    return `<h1>Conversation ${esc(id)}</h1>
      <div class="cards"><div class="card">Turns<div class="figure" id="conversation-turns">${esc(answers.length)}</div></div>
        <div class="card">Cost<div class="figure" id="conversation-cost">${esc(usd(cost))}</div></div></div>
      ${table([{ label: '#', num: true }, { label: 'Role' }, { label: 'Tokens', num: true }, { label: 'Text' }, { label: 'Context sent' },
        { label: 'Cost', num: true }, { label: 'Latency (ms)', num: true }],
        items.data.map(m => [esc(m.seq), esc(m.role), esc(m.tokens), esc((m.content || []).map(p => p.text || '').join(' ').slice(0, 400)),
          context(m), m.metadata && m.metadata.cost_usd ? esc(usd(m.metadata.cost_usd)) : '', esc(m.metadata && m.metadata.latency_ms)]))}`;
  },
};

/** The parts of a key's policy as the admin API writes and takes them; what the policy editor shows of the last list. */
const POLICY_PARTS = ['defaults', 'limits', 'budgets', 'priority', 'response_cache', 'fallback_reply'];
let keyPolicies = {};

/** Runs an admin action, then draws {@code view} again with the outcome (or the API's refusal) in {@code messageId}. */
async function act(view, messageId, request, done) {
  try {
    await request();
    await show(view);
    document.getElementById(messageId).textContent = done;
  } catch (e) {
    document.getElementById(messageId).innerHTML = `<span class="error">${esc(e.message)}</span>`;
  }
}

/** Wires a view's forms and buttons once it is drawn. */
const actions = {
  upstreams() {
    const post = (path, body) => api(path, { method: 'POST', body: JSON.stringify(body) });
    main.querySelectorAll('[data-enable]').forEach(button => button.addEventListener('click', () => act('upstreams', 'upstreams-message',
      () => post('/admin/upstreams/keys/enable', { endpoint: button.dataset.endpoint, key: button.dataset.enable }),
      'Enabled: every replica uses it again within a second.')));
    main.querySelectorAll('[data-remove]').forEach(button => button.addEventListener('click', () => act('upstreams', 'upstreams-message',
      () => api('/admin/upstreams/' + encodeURIComponent(button.dataset.endpoint) + '/keys/' + encodeURIComponent(button.dataset.remove), { method: 'DELETE' }),
      'Removed from every replica.')));
    document.getElementById('add-upstream-key').addEventListener('submit', event => {
      event.preventDefault();
      const form = new FormData(event.target);
      act('upstreams', 'upstreams-message', () => post('/admin/upstreams/' + encodeURIComponent(form.get('endpoint')) + '/keys',
        { api_key: form.get('api_key'), rpm: Number(form.get('rpm')), tpm: Number(form.get('tpm')) }), 'Added: stored sealed, in use on every replica within a second.');
    });
  },
  keys() {
    document.getElementById('create-key').addEventListener('submit', async event => {
      event.preventDefault();
      const form = new FormData(event.target);
      try {
        const created = await api('/admin/keys', { method: 'POST', body: JSON.stringify({ owner: form.get('owner'), name: form.get('name') || undefined }) });
        await show('keys');
        document.getElementById('new-key').innerHTML = `Created ${esc(created.id)}. Its secret, shown once: <span class="secret" id="new-key-secret">${esc(created.key)}</span>`;
      } catch (e) {
        document.getElementById('new-key').innerHTML = `<span class="error">${esc(e.message)}</span>`;
      }
    });
    main.querySelectorAll('[data-revoke]').forEach(button => button.addEventListener('click', async () => {
      await api('/admin/keys/' + encodeURIComponent(button.dataset.revoke), { method: 'DELETE' });
      await show('keys');
    }));
    const editor = document.getElementById('policy-form');
    main.querySelectorAll('[data-policy]').forEach(button => button.addEventListener('click', () => {
      editor.hidden = false;
      editor.dataset.key = button.dataset.policy;
      document.getElementById('policy-key').textContent = button.dataset.policy;
      editor.elements.policy.value = JSON.stringify(keyPolicies[button.dataset.policy], null, 2);
    }));
    editor.addEventListener('submit', event => {
      event.preventDefault();
      let policy;
      try {
        policy = JSON.parse(editor.elements.policy.value);
      } catch (e) {
        document.getElementById('policy-message').innerHTML = `<span class="error">${esc('Not JSON: ' + e.message)}</span>`;
        return;
      }
      act('keys', 'policy-message', () => api('/admin/keys/' + encodeURIComponent(editor.dataset.key) + '/policy', { method: 'PUT', body: JSON.stringify(policy) }),
        'Policy saved: in force on every replica within the key cache\'s lifetime.');
    });
  },
  conversations() {
    document.getElementById('find-conversations').addEventListener('submit', event => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const [name, value] of new FormData(event.target)) if (value) params.set(name, value);
      location.hash = '#/conversations/' + encodeURIComponent(params.toString());
    });
  },
  routes() {
    main.querySelectorAll('form.chains').forEach(form => form.addEventListener('submit', event => {
      event.preventDefault();
      const chains = {};
      for (const input of form.elements) {
        if (input.tagName !== 'INPUT' || input.value === input.dataset.was) continue;
        chains[input.name] = input.value.split(',').map(link => link.trim()).filter(Boolean).map(link => {
          const colon = link.lastIndexOf(':');
          return colon < 0 ? { model: link, capability: 'complex' } : { model: link.slice(0, colon).trim(), capability: link.slice(colon + 1).trim() };
        });
      }
      act('routes', 'routes-message', () => api('/admin/routes/' + encodeURIComponent(form.dataset.route) + '/chains', { method: 'PUT', body: JSON.stringify(chains) }),
        'Chains saved: every replica routes by them within a second.');
    }));
    main.querySelectorAll('form.weights').forEach(form => form.addEventListener('submit', async event => {
      event.preventDefault();
      const weights = {};
      for (const input of form.elements) if (input.type === 'number') weights[input.name] = Number(input.value);
      const message = document.getElementById('routes-message');
      try {
        await api('/admin/routes/' + encodeURIComponent(form.dataset.route) + '/weights', { method: 'PUT', body: JSON.stringify(weights) });
        await show('routes');
        document.getElementById('routes-message').textContent = 'Saved: every replica routes by it within a second.';
      } catch (e) {
        message.innerHTML = `<span class="error">${esc(e.message)}</span>`;
      }
    }));
  },
};

/** Which drawing is the latest: one that finishes after a newer one began (a live redraw, a slow page) is dropped. */
let drawing = 0;

async function show(view, arg) {
  const mine = ++drawing;
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#/' + view));
  try {
    const html = await views[view](arg);
    if (mine !== drawing) return;
    main.innerHTML = html;
    if (Object.hasOwn(actions, view)) actions[view]();
    main.dataset.view = view;
  } catch (e) {
    if (mine === drawing) main.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
  }
}

const ADMIN_VIEWS = ['upstreams', 'keys', 'routes'];
const isAdmin = () => sessionStorage.getItem('sluice.role') === 'admin';

function route() {
  if (!key) return;
  const [, view, arg] = (location.hash || '#/spend').split('/');
  const allowed = Object.hasOwn(views, view) && !(sessionStorage.getItem('sluice.role') === 'owner' && ADMIN_VIEWS.includes(view));
  show(allowed ? view : 'spend', arg && decodeURIComponent(arg));
}

function signedIn() {
  const owner = sessionStorage.getItem('sluice.role') === 'owner';
  document.querySelectorAll('#nav a').forEach(a => {
    a.hidden = owner && ADMIN_VIEWS.includes(a.getAttribute('href').slice(2));
  });
  document.getElementById('nav').hidden = false;
  route();
}

document.getElementById('sign-in').addEventListener('submit', async event => {
  event.preventDefault();
  key = document.getElementById('key').value;
  try {
    sessionStorage.setItem('sluice.role', await roleOf());
    sessionStorage.setItem('sluice.key', key);
    signedIn();
  } catch (e) {
    key = null;
    document.getElementById('sign-in-error').textContent = 'Not signed in: ' + e.message;
  }
});

/** {@code admin} for the admin key (the admin API answers it), {@code owner} for a gateway key; else the API's refusal. */
async function roleOf() {
  try {
    await api('/admin/routes');
    return 'admin';
  } catch (e) {
    await api('/v1/models');
    return 'owner';
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  sessionStorage.removeItem('sluice.key');
  sessionStorage.removeItem('sluice.role');
  key = null;
  document.getElementById('nav').hidden = true;
  main.innerHTML = signInForm;
  location.replace(location.pathname); // the next one signed in starts at the spend page
});

/** The upstreams page follows the endpoints live, unless the operator is typing a key into it. */
const LIVE_SECONDS = 5;
setInterval(async () => {
  // only while the page asked for is the upstreams page: a page being opened is never drawn over
  if (main.dataset.view !== 'upstreams' || location.hash !== '#/upstreams'
      || main.contains(document.activeElement) && document.activeElement.tagName !== 'BUTTON') return;
  const said = document.getElementById('upstreams-message').innerHTML; // what the last action said stays said
  await show('upstreams');
  const message = document.getElementById('upstreams-message');
  if (message) message.innerHTML = said;
}, LIVE_SECONDS * 1000);

window.addEventListener('hashchange', route);
if (key) signedIn();
