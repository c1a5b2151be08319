// The operators' dashboard: the coalition's totals from GET /coalition, kept live by GET /coalition/stream
// (server-sent events; the browser reconnects with Last-Event-ID by itself, and the service resends what changed).
// It says how fresh the figures are, and turns visibly stale when the service says they lag (a heartbeat on the
// stream carries that) or when the stream falls silent; GET /coalition, polled, carries the same when the stream
// cannot get through.
'use strict';

const integer = new Intl.NumberFormat('en');
const decimal = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const $ = id => document.getElementById(id);

// Views of the stream keep only the newest version per scope: a resent or older event changes nothing.
const versions = new Map();

function show(totals) {
  setFigure('clusters', integer.format(totals.clusters));
  setFigure('countries', integer.format(totals.countries));
  setFigure('emissions', decimal.format(totals.emissionsReductionMtPerYear));
  setFigure('jobs', integer.format(totals.jobs));
  setFigure('gdp', decimal.format(totals.gdpUsdBn));
  if (totals.updatedAt) {
    updatedAt = Date.parse(totals.updatedAt);
    $('updated').dateTime = totals.updatedAt;
    tick();
  }
}

// How fresh the figures are: "updated N s ago", ticking; stale when the service says so or the stream is silent.
let updatedAt = null;
let serverStale = { stale: false, reasons: [] };
let lastMessageAt = Date.now();
let heartbeatMs = 15000;
let lastHeartbeatAt = null;

function ago(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return seconds + ' s ago';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min ago';
  return Math.round(seconds / 3600) + ' h ago';
}

function tick() {
  $('updated-ago').textContent = updatedAt === null ? 'never' : ago(Date.now() - updatedAt);
  const silent = Date.now() - lastMessageAt > 3 * heartbeatMs;
  const reasons = [...serverStale.reasons];
  if (silent) {
    reasons.push('The live stream has been silent for ' + ago(Date.now() - lastMessageAt).replace(' ago', '') + '.');
  }
  const stale = serverStale.stale || silent;
  document.body.classList.toggle('stale', stale);
  $('stale').hidden = !stale;
  const text = reasons.join(' ');
  if ($('stale-reasons').textContent !== text) {
    $('stale-reasons').textContent = text;
  }
}

// The figures as the headline cards name them.
const FIGURES = {
  clusters: 'clusters', countries: 'countries', emissionsReductionMtPerYear: 'MtCO\u2082e a year', jobs: 'jobs',
  gdpUsdBn: 'US$ billion'
};

function number(value) {
  return Number.isInteger(value) ? integer.format(value) : decimal.format(value);
}

function showFreshness(freshness) {
  if (!freshness) return;
  serverStale = { stale: freshness.stale, reasons: freshness.reasons ?? [] };
  const reconciliation = freshness.reconciliation;
  const line = $('reconciliation');
  if (!reconciliation) {
    line.textContent = 'Reconciliation with the roster: not yet received';
    line.className = 'reconciliation';
  } else {
    const checked = new Date(reconciliation.checkedAt).toISOString().slice(11, 19) + ' UTC';
    const deadLetters = reconciliation.deadLetteredRecords > 0
      ? ' ' + integer.format(reconciliation.deadLetteredRecords) + ' records could not be counted (dead-lettered).'
      : '';
    if (reconciliation.status === 'EQUAL') {
      line.textContent = 'The totals match the roster (checked ' + checked + ').' + deadLetters;
      line.className = 'reconciliation equal';
    } else {
      const differences = reconciliation.differences
        .map(d => (FIGURES[d.figure] ?? d.figure) + ' ' + number(d.totals) + ' in the totals, ' + number(d.roster)
          + ' on the roster').join('; ');
      line.textContent = 'The totals differ from the roster since '
        + new Date(reconciliation.differentSince).toISOString().slice(0, 16).replace('T', ' ') + ' UTC: '
        + differences + ' (checked ' + checked + ').' + deadLetters;
      line.className = 'reconciliation different';
    }
  }
  tick();
}

function setFigure(id, text) {
  const element = $(id);
  if (element.textContent !== text) {
    element.textContent = text;
    element.classList.add('changed');
    setTimeout(() => element.classList.remove('changed'), 2000);
  }
}

async function json(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(path + ': ' + response.status);
  }
  return response.json();
}

// Breakdowns read as people say them: a country's name from the browser's own locale data, a sector's label from
// its code. Each shows its first rows, and all of them behind "Show all".
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const FIRST_ROWS = 12;
const expanded = new Set();

function countryName(code) {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

function sectorLabel(code) {
  const words = code.toLowerCase().split('_').join(' ');
  return code === 'CCS' ? 'Carbon capture and storage' : words.charAt(0).toUpperCase() + words.slice(1);
}

function rows(body, lines, label) {
  const button = document.querySelector('.show-all[data-for="' + body.id + '"]');
  const all = expanded.has(body.id);
  body.replaceChildren(...lines.slice(0, all ? lines.length : FIRST_ROWS).map(line => {
    const row = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = label(line.name);
    name.title = line.name;
    row.append(name);
    for (const cell of [integer.format(line.clusters), decimal.format(line.emissionsReductionMtPerYear),
      integer.format(line.jobs), decimal.format(line.gdpUsdBn)]) {
      const td = document.createElement('td');
      td.textContent = cell;
      row.append(td);
    }
    return row;
  }));
  button.hidden = lines.length <= FIRST_ROWS;
  button.textContent = all ? 'Show the first ' + FIRST_ROWS : 'Show all ' + lines.length;
  button.setAttribute('aria-expanded', String(all));
}

for (const button of document.querySelectorAll('.show-all')) {
  button.addEventListener('click', () => {
    const id = button.dataset.for;
    if (!expanded.delete(id)) {
      expanded.add(id);
    }
    refreshBreakdowns().catch(console.error);
  });
}

async function refreshBreakdowns() {
  rows($('by-country'), await json('/coalition/countries?sort=emissionsReductionMtPerYear'), countryName);
  rows($('by-sector'), await json('/coalition/sectors?sort=emissionsReductionMtPerYear'), sectorLabel);
}

async function refreshNewest() {
  const page = await json('/clusters?size=8');
  $('newest').replaceChildren(...page.clusters.map(cluster => {
    const item = document.createElement('li');
    item.append(cluster.name ?? 'unnamed cluster', ' ');
    const small = document.createElement('small');
    small.textContent = cluster.country + ', joined ' + cluster.joinedOn;
    item.append(small);
    if ((cluster.figuresBasis ?? '').startsWith('apportioned')) {
      const tag = document.createElement('span');
      tag.className = 'tag';
      tag.textContent = 'apportioned';
      item.append(' ', tag);
      $('apportioned').hidden = false;
    }
    return item;
  }));
}

async function refreshHistory() {
  const history = await json('/coalition/history');
  const svg = $('history');
  svg.replaceChildren();
  if (history.length === 0) {
    return;
  }
  const first = Date.parse(history[0].asOf);
  const last = Math.max(Date.parse(history[history.length - 1].asOf), first + 86400000);
  const most = Math.max(...history.map(point => point.clusters), 1);
  const x = date => 40 + 740 * (Date.parse(date) - first) / (last - first);
  const y = clusters => 190 - 170 * clusters / most;
  // A step line: the totals hold from one date until the next change.
  let path = 'M' + x(history[0].asOf) + ' ' + y(history[0].clusters);
  for (const point of history.slice(1)) {
    path += ' H' + x(point.asOf) + ' V' + y(point.clusters);
  }
  path += ' H780';
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  line.setAttribute('class', 'line');
  line.setAttribute('d', path);
  svg.append(line);
  for (const point of [history[0], history[history.length - 1]]) {
    const label = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    label.setAttribute('x', Math.min(x(point.asOf), 700));
    label.setAttribute('y', 210);
    label.textContent = point.asOf + ': ' + point.clusters;
    svg.append(label);
  }
}

// Joins come in bursts (a roster import): refresh the lists once the burst has passed.
let pending;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(() => Promise.all([refreshBreakdowns(), refreshNewest(), refreshHistory()])
    .catch(console.error), 300);
}

function connect() {
  const stream = new EventSource('/coalition/stream');
  stream.onopen = () => {
    $('status').className = 'status connected';
    $('connection').textContent = 'stream connected';
  };
  stream.onerror = () => {
    $('status').className = 'status disconnected';
    $('connection').textContent = 'stream reconnecting…';
  };
  stream.addEventListener('heartbeat', event => {
    const now = Date.now();
    if (lastHeartbeatAt !== null) {
      heartbeatMs = Math.max(1000, now - lastHeartbeatAt);
    }
    lastHeartbeatAt = now;
    lastMessageAt = now;
    showFreshness(JSON.parse(event.data));
  });
  stream.addEventListener('totals', event => {
    lastMessageAt = Date.now();
    const totals = JSON.parse(event.data);
    if ((versions.get(totals.scope) ?? -1) >= totals.version) {
      return;
    }
    versions.set(totals.scope, totals.version);
    if (totals.scope === 'coalition') {
      show(totals);
    }
    refreshSoon();
  });
}

// The headline figures and their freshness also come from GET /coalition: at once, then every 30 s, so that the
// page shows them when the stream cannot get through (a proxy that buffers it) and says so when the API is away.
async function poll() {
  try {
    const coalition = await json('/coalition');
    if ((versions.get('coalition') ?? -1) < 0 || coalition.updatedAt && Date.parse(coalition.updatedAt) > (updatedAt ?? 0)) {
      show(coalition);
    }
    showFreshness(coalition.freshness);
  } catch (failure) {
    serverStale = { stale: true, reasons: ['The reporting API does not answer (' + failure.message + ').'] };
    tick();
  }
}

// The stream starts with every current view, the coalition's among them.
refreshSoon();
connect();
poll();
setInterval(poll, 30000);
setInterval(tick, 1000);
