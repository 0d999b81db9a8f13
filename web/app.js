// deskpulse dashboard: plain browser JavaScript, no build step. Data comes from /api/v1 with the
// tenant's bearer token (kept in this tab's sessionStorage); every value is put in the page as
// text, never as HTML.

const TOKEN_KEY = 'deskpulse.token';
const AT_RISK_REFRESH_MS = 10_000;
const $ = (id) => document.getElementById(id);

/** `45s`, `12m 30s`, `1h 05m`, `2d 03h` — the same as the CLI's table. */
export function humanize(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const negative = seconds < 0;
  const s = Math.round(Math.abs(seconds));
  const pad = (n) => String(n).padStart(2, '0');
  let text;
  if (s < 60) text = `${s}s`;
  else if (s < 3600) text = `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  else if (s < 86400) text = `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  else text = `${Math.floor(s / 86400)}d ${pad(Math.floor((s % 86400) / 3600))}h`;
  return negative ? `-${text}` : text;
}
const percent = (rate) => (rate.rate === null ? '—' : `${Math.round(rate.rate)}%`);
const oneDecimal = (value) => (value === null || value === undefined ? '—' : value.toFixed(1));

// ---------------------------------------------------------------- token and API

function takeTokenFromFragment() {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
}

class Unauthorized extends Error {}

async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` },
  });
  if (response.status === 401) throw new Unauthorized('the token was not accepted');
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.reason ?? `HTTP ${response.status}`);
  }
  return response;
}

// ---------------------------------------------------------------- filters

function filterParams() {
  const form = $('filters');
  const days = form.period.value;
  const now = Date.now();
  return {
    from: days === 'all' ? '' : new Date(now - Number(days) * 86_400_000).toISOString(),
    channel: form.channel.value,
    team: form.team.value,
    basis: form.basis.value,
  };
}

function fillChoices(select, values, label) {
  const current = select.value;
  select.replaceChildren(new Option(label, ''), ...values.map((value) => new Option(value, value)));
  if (current && !values.includes(current)) select.append(new Option(current, current));
  select.value = current;
}

// ---------------------------------------------------------------- tables

const COLUMNS = [
  { title: 'Resolved', value: (g) => g.resolved, text: String },
  { title: 'FRT median', value: (g, b) => g.first_response[b].median, text: humanize },
  { title: 'FRT p90', value: (g, b) => g.first_response[b].p90, text: humanize },
  { title: 'Next response median', value: (g, b) => g.next_response[b].median, text: humanize },
  { title: 'Resolution median', value: (g, b) => g.full_resolution[b].median, text: humanize },
  { title: 'FCR', value: (g) => g.fcr.rate, text: (v, g) => rateText(g.fcr) },
  { title: 'Contacts / resolution', value: (g) => g.contacts.mean, text: oneDecimal },
  { title: 'Calls / resolution', value: (g) => g.calls_to_resolution.mean, text: oneDecimal },
  { title: 'CSAT', value: (g) => g.csat.score, text: (v) => (v === null ? '—' : `${Math.round(v)}%`) },
  { title: 'NPS', value: (g) => g.nps.score, text: (v) => (v === null ? '—' : String(Math.round(v))) },
  { title: 'SLA', value: (g) => g.sla.rate, text: (v, g) => rateText(g.sla) },
];
const rateText = (rate) =>
  rate.rate === null ? '—' : `${Math.round(rate.rate)}% (${rate.count}/${rate.eligible})`;

const sortState = { teams: { column: -1, descending: false }, agents: { column: -1, descending: false } };

function renderTable(table, groups, basis, name, noun) {
  const state = sortState[name];
  const rows = groups.slice();
  if (state.column >= 0) {
    const column = COLUMNS[state.column];
    rows.sort((a, b) => {
      const x = column.value(a, basis);
      const y = column.value(b, basis);
      if (x === y) return 0;
      if (x === null) return 1; // no value sorts last either way
      if (y === null) return -1;
      return (x < y ? -1 : 1) * (state.descending ? -1 : 1);
    });
  }
  const head = document.createElement('tr');
  const first = document.createElement('th');
  first.textContent = noun;
  head.append(first);
  COLUMNS.forEach((column, index) => {
    const th = document.createElement('th');
    th.textContent = column.title;
    th.scope = 'col';
    if (index === state.column) th.setAttribute('aria-sort', state.descending ? 'descending' : 'ascending');
    th.addEventListener('click', () => {
      state.descending = state.column === index ? !state.descending : true;
      state.column = index;
      renderTable(table, groups, basis, name, noun);
    });
    head.append(th);
  });
  const body = rows.map((group) => {
    const tr = document.createElement('tr');
    const key = document.createElement('td');
    key.textContent = group.key ?? '(unassigned)';
    tr.append(key);
    for (const column of COLUMNS) {
      const td = document.createElement('td');
      td.textContent = column.text(column.value(group, basis), group);
      tr.append(td);
    }
    return tr;
  });
  const thead = document.createElement('thead');
  thead.append(head);
  const tbody = document.createElement('tbody');
  tbody.append(...body);
  table.replaceChildren(thead, tbody);
}

// ---------------------------------------------------------------- charts (uPlot)

const charts = new Map();

function chartSize(element) {
  return { width: Math.max(240, element.clientWidth), height: 220 };
}

function categoryChart(id, labels, series, axes = {}) {
  const element = $(id);
  charts.get(id)?.destroy();
  const x = labels.map((_, index) => index);
  const step = Math.max(1, Math.ceil(labels.length / 10));
  const options = {
    ...chartSize(element),
    legend: { show: series.length > 1 },
    cursor: { points: { show: false } },
    scales: {
      x: { time: false, range: [-0.5, Math.max(0.5, labels.length - 0.5)] },
      y: { range: (u, min, max) => [0, Math.max(1, max ?? 1) * 1.1] },
      ...(axes.percent ? { pct: { range: [0, 100] } } : {}),
    },
    axes: [
      {
        splits: () => x.filter((index) => index % step === 0),
        values: (u, splits) => splits.map((index) => labels[index] ?? ''),
        gap: 4,
      },
      { values: axes.y ?? ((u, splits) => splits.map(String)), size: 60 },
      ...(axes.percent
        ? [{ scale: 'pct', side: 1, values: (u, s) => s.map((v) => `${v}%`), grid: { show: false } }]
        : []),
    ],
    series: [{ label: 'x' }, ...series],
  };
  const chart = new uPlot(options, [x, ...series.map((s) => s.data)], element);
  charts.set(id, chart);
  element.dataset.points = String(labels.length);
  element.dataset.values = JSON.stringify(series.map((s) => s.data));
}

const bars = () => uPlot.paths.bars({ size: [0.6, 64] });

function renderCharts(data) {
  const { charts: c } = data;
  categoryChart(
    'chart-frt',
    c.frt_distribution.map((b) => b.label),
    [
      {
        label: 'Tickets',
        data: c.frt_distribution.map((b) => b.count),
        fill: '#2f6fed99',
        stroke: '#2f6fed',
        paths: bars(),
        points: { show: false },
      },
    ],
  );
  const hours = (value) => (value === null ? null : value / 3600);
  categoryChart(
    'chart-daily',
    c.daily.map((d) => d.day.slice(5)),
    [
      {
        label: 'FRT median (h)',
        data: c.daily.map((d) => hours(d.first_response.median)),
        stroke: '#2f6fed',
        width: 2,
      },
      {
        label: 'Resolution median (h)',
        data: c.daily.map((d) => hours(d.full_resolution.median)),
        stroke: '#7b3fe4',
        width: 2,
      },
      { label: 'FCR %', data: c.daily.map((d) => d.fcr.rate), stroke: '#2e7d32', width: 2, scale: 'pct' },
    ],
    { percent: true, y: (u, splits) => splits.map((v) => `${v}h`) },
  );
  categoryChart(
    'chart-sla',
    c.sla_by_team.map((t) => t.team ?? '(unassigned)'),
    [
      {
        label: 'SLA %',
        data: c.sla_by_team.map((t) => t.rate),
        fill: '#2e7d3299',
        stroke: '#2e7d32',
        paths: bars(),
        points: { show: false },
      },
    ],
    { y: (u, splits) => splits.map((v) => `${v}%`) },
  );
  categoryChart(
    'chart-calls',
    c.calls_per_phone_issue.map((b) => `${b.label} call${b.label === '1' ? '' : 's'}`),
    [
      {
        label: 'Issues',
        data: c.calls_per_phone_issue.map((b) => b.count),
        fill: '#c7770099',
        stroke: '#c77700',
        paths: bars(),
        points: { show: false },
      },
    ],
  );
}

new ResizeObserver(() => {
  for (const [id, chart] of charts) chart.setSize(chartSize($(id)));
}).observe(document.body);

// ---------------------------------------------------------------- at-risk list

let atRisk = { fetchedAt: 0, targets: [] };
const METRIC = { first_response: 'first response', next_response: 'next response', resolution: 'resolution' };

async function refreshAtRisk() {
  try {
    const response = await api('/api/v1/at-risk', { team: $('filters').team.value });
    const body = await response.json();
    atRisk = { fetchedAt: Date.now(), targets: body.targets };
    renderAtRisk();
  } catch (error) {
    if (error instanceof Unauthorized) signOut(error.message);
  }
}

function renderAtRisk() {
  const list = $('at-risk-list');
  const elapsed = (Date.now() - atRisk.fetchedAt) / 1000;
  list.replaceChildren(
    ...atRisk.targets.map((target) => {
      const li = document.createElement('li');
      li.dataset.ticket = target.ticket;
      const title = document.createElement(target.url ? 'a' : 'span');
      title.textContent = `${target.ticket} · ${METRIC[target.metric] ?? target.metric}`;
      if (target.url) {
        title.href = target.url;
        title.target = '_blank';
        title.rel = 'noopener';
      }
      const left = target.remaining_seconds - (target.ticking ? elapsed : 0);
      const clock = document.createElement('span');
      clock.className = `countdown${left < 0 ? ' overdue' : ''}${target.ticking ? '' : ' paused'}`;
      clock.textContent = left < 0 ? `overdue ${humanize(-left)}` : humanize(left);
      clock.title = target.business_hours ? 'business time left' : 'time left';
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = [target.agent ?? 'unassigned', target.team, target.priority, target.policy]
        .filter(Boolean)
        .join(' · ');
      li.append(title, clock, who);
      return li;
    }),
  );
  $('at-risk-count').textContent = String(atRisk.targets.length);
  $('at-risk-empty').hidden = atRisk.targets.length > 0;
}

// ---------------------------------------------------------------- the board

let loading = 0;

async function load() {
  const ticket = ++loading;
  $('status').textContent = 'Loading…';
  try {
    const params = filterParams();
    const data = await (await api('/api/v1/dashboard', params)).json();
    if (ticket !== loading) return; // a newer filter change won
    fillChoices($('filters').channel, data.choices.channels, 'All channels');
    fillChoices($('filters').team, data.choices.teams, 'All teams');
    const basis = data.basis;
    const o = data.overall;
    $('kpi-frt').textContent = humanize(o.first_response[basis].median);
    $('kpi-resolution').textContent = humanize(o.full_resolution[basis].median);
    $('kpi-fcr').textContent = percent(o.fcr);
    $('kpi-sla').textContent = percent(o.sla);
    $('kpi-csat').textContent = o.csat.score === null ? '—' : `${Math.round(o.csat.score)}%`;
    $('kpi-calls').textContent = oneDecimal(o.calls_to_resolution.mean);
    renderTable($('teams'), data.teams, basis, 'teams', 'Team');
    renderTable($('agents'), data.agents, basis, 'agents', 'Agent');
    renderCharts(data);
    $('basis-note').textContent =
      `Durations in ${basis} time${basis === 'business' ? ` (${data.time_zone})` : ''}; days of the trend in ${data.time_zone}. ` +
      'FCR counts resolved tickets and call cases; CSAT is the share of positive answers.';
    $('status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.loaded = String(ticket);
  } catch (error) {
    if (error instanceof Unauthorized) return signOut(error.message);
    $('status').textContent = `Could not load: ${error.message}`;
  }
}

async function exportCsv(groupBy) {
  const { from, channel, team } = filterParams();
  const response = await api('/api/v1/report', { format: 'csv', group_by: groupBy, from, channel, team });
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `deskpulse-${groupBy}s-${new Date().toISOString().slice(0, 10)}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

let timers = [];

function signOut(reason) {
  sessionStorage.removeItem(TOKEN_KEY);
  for (const timer of timers) clearInterval(timer);
  timers = [];
  $('board').hidden = true;
  $('filters').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = reason ?? '';
}

function start() {
  $('sign-in').hidden = true;
  $('board').hidden = false;
  $('filters').hidden = false;
  load();
  refreshAtRisk();
  timers.push(setInterval(refreshAtRisk, AT_RISK_REFRESH_MS), setInterval(renderAtRisk, 1000));
}

takeTokenFromFragment();
$('filters').addEventListener('change', (event) => {
  load();
  if (event.target.name === 'team') refreshAtRisk();
});
$('sign-out').addEventListener('click', () => signOut());
for (const button of document.querySelectorAll('button.export'))
  button.addEventListener('click', () =>
    exportCsv(button.dataset.group).catch((error) => ($('status').textContent = error.message)),
  );
$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, event.target.token.value.trim());
  event.target.reset();
  start();
});
window.addEventListener('load', () => (sessionStorage.getItem(TOKEN_KEY) ? start() : signOut()));
