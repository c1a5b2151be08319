// The operators' dashboard: the coalition's totals from GET /coalition, kept live by GET /coalition/stream
// (server-sent events; the browser reconnects with Last-Event-ID by itself, and the service resends what changed).
// When the stream cannot be opened (a proxy that buffers it, say) it polls GET /coalition instead; the service
// answers with an ETag and no-cache, so the browser revalidates and an unchanged answer costs a 304.
// It says how fresh the figures are, and turns visibly stale when the service says they lag (a heartbeat on the
// stream, or the polled answer, carries that) or when nothing has been heard for too long.
'use strict';

const integer = new Intl.NumberFormat();
const decimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const $ = id => document.getElementById(id);
const DAY = 86400000;
const YEAR = 365.25 * DAY;

// The figures as the dashboard names them, and how each is written.
const FIGURES = {
  clusters: { label: 'Clusters', unit: 'clusters', format: integer },
  countries: { label: 'Countries', unit: 'countries', format: integer },
  emissionsReductionMtPerYear: { label: 'Emissions reduction potential', unit: 'MtCO\u2082e a year', format: decimal },
  jobs: { label: 'Jobs', unit: 'jobs', format: integer },
  gdpUsdBn: { label: 'GDP', unit: 'US$ billion', format: decimal }
};
const HEADLINE = { clusters: 'clusters', emissions: 'emissionsReductionMtPerYear', jobs: 'jobs', gdp: 'gdpUsdBn' };

function formatted(figure, value) {
  return FIGURES[figure].format.format(value);
}

function isoDate(time) {
  return new Date(time).toISOString().slice(0, 10);
}

// ISO 8601 in UTC, to the second, as the services log it.
function isoTime(time) {
  return new Date(time).toISOString().slice(0, 19) + 'Z';
}

async function json(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(path + ': ' + response.status);
  }
  return response.json();
}

function element(tag, attributes = {}, text) {
  const made = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    made.setAttribute(name, value);
  }
  if (text !== undefined) {
    made.textContent = text;
  }
  return made;
}

// ---- The headline figures, their change since a chosen date, and what is read out when they move ----

let current = null;
let then = null;

function show(totals) {
  const before = current;
  current = totals;
  setFigure('clusters', integer.format(totals.clusters));
  setFigure('countries', integer.format(totals.countries));
  for (const [id, figure] of Object.entries(HEADLINE)) {
    setFigure(id, formatted(figure, totals[figure]));
  }
  if (totals.updatedAt) {
    updatedAt = Date.parse(totals.updatedAt);
    $('updated').dateTime = totals.updatedAt;
    $('updated-ago').title = isoTime(updatedAt);
    tick();
  }
  showChanges();
  if (before && before.clusters !== totals.clusters) {
    const joined = totals.clusters - before.clusters;
    $('announcement').textContent = 'The coalition now has ' + integer.format(totals.clusters) + ' clusters ('
      + (joined > 0 ? joined + ' joined' : -joined + ' left') + ').';
  }
}

function setFigure(id, text) {
  const shown = $(id);
  if (shown.textContent !== text) {
    shown.textContent = text;
    shown.classList.add('changed');
    setTimeout(() => shown.classList.remove('changed'), 2000);
  }
}

function signed(figure, difference) {
  if (difference === 0) return 'no change';
  return (difference > 0 ? '+' : '\u2212') + formatted(figure, Math.abs(difference));
}

function showChanges() {
  for (const [id, figure] of Object.entries(HEADLINE)) {
    $(id + '-change').textContent = current && then
      ? signed(figure, current[figure] - then[figure]) + ' since ' + then.asOf
      : '';
  }
}

async function refreshThen() {
  then = await json('/coalition?asOf=' + encodeURIComponent($('since').value));
  showChanges();
}

// ---- Freshness: "updated N s ago", ticking; stale when the service says so or nothing is heard ----

let updatedAt = null;
let serverStale = { stale: false, reasons: [] };
let lastHeardAt = Date.now();
let heartbeatMs = 15000;
let lastHeartbeatAt = null;
let streamOpen = false;

// GET /coalition at once and then every 30 s while the stream is open, every 5 s while it is not: the figures and
// their freshness show even when the stream cannot get through, and the page says so when the API is away.
const POLL_WITH_STREAM_MS = 30000;
const POLL_WITHOUT_STREAM_MS = 5000;

function ago(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return seconds + ' s ago';
  if (seconds < 5400) return Math.round(seconds / 60) + ' min ago';
  return Math.round(seconds / 3600) + ' h ago';
}

function tick() {
  $('updated-ago').textContent = updatedAt === null ? 'never' : ago(Date.now() - updatedAt);
  const silentFor = Date.now() - lastHeardAt;
  const silent = silentFor > 3 * (streamOpen ? heartbeatMs : POLL_WITHOUT_STREAM_MS);
  const reasons = [...serverStale.reasons];
  if (silent) {
    reasons.push('Nothing has been heard from the service for ' + ago(silentFor).replace(' ago', '') + '.');
  }
  const stale = serverStale.stale || silent;
  document.body.classList.toggle('stale', stale);
  $('stale').hidden = !stale;
  const text = reasons.join(' ');
  if ($('stale-reasons').textContent !== text) {
    $('stale-reasons').textContent = text;
  }
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
    const checked = isoTime(reconciliation.checkedAt);
    const deadLetters = reconciliation.deadLetteredRecords > 0
      ? ' ' + integer.format(reconciliation.deadLetteredRecords) + ' records could not be counted (dead-lettered).'
      : '';
    if (reconciliation.status === 'EQUAL') {
      line.textContent = 'The totals match the roster (checked ' + checked + ').' + deadLetters;
      line.className = 'reconciliation equal';
    } else {
      const differences = reconciliation.differences
        .map(d => (FIGURES[d.figure]?.unit ?? d.figure) + ' ' + Number(d.totals).toLocaleString() + ' in the totals, '
          + Number(d.roster).toLocaleString() + ' on the roster').join('; ');
      line.textContent = 'The totals differ from the roster since ' + isoTime(reconciliation.differentSince) + ': '
        + differences + ' (checked ' + checked + ').' + deadLetters;
      line.className = 'reconciliation different';
    }
  }
  tick();
}

// ---- The chart of the coalition over time ----

let history = [];
let chartPoints = [];
let chartSelected = null;
let chartScale = null;

function valueAt(figure, time) {
  let value = 0;
  for (const point of history) {
    if (point.time > time) break;
    value = point[figure];
  }
  return value;
}

// Round steps (1, 2, 2.5 or 5 times a power of ten) from 0 to at least the highest value.
function yTicks(highest, integral) {
  const raw = Math.max(highest, integral ? 1 : 0.1) / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 2.5, 5, 10].map(m => m * power).find(s => s >= raw);
  if (integral) step = Math.max(1, Math.ceil(step));
  const ticks = [];
  for (let tick = 0; tick < highest + step; tick += step) ticks.push(tick);
  return ticks.length > 1 ? ticks : [0, step];
}

// Years when the range spans more than three, otherwise every 1, 2, 3 or 6 months, as many as the width holds.
function xTicks(start, end, room) {
  const ticks = [];
  const first = new Date(start);
  if (end - start > 3 * YEAR) {
    const years = Math.max(1, Math.ceil((end - start) / YEAR / room));
    for (let year = first.getUTCFullYear() + 1; Date.UTC(year, 0, 1) <= end; year += years) {
      ticks.push({ time: Date.UTC(year, 0, 1), label: String(year) });
    }
  } else {
    const months = [1, 2, 3, 6, 12].find(m => (end - start) / (m * YEAR / 12) <= room) ?? 12;
    let month = Math.ceil((first.getUTCFullYear() * 12 + first.getUTCMonth() + 1) / months) * months;
    for (; Date.UTC(Math.floor(month / 12), month % 12, 1) <= end; month += months) {
      const time = Date.UTC(Math.floor(month / 12), month % 12, 1);
      ticks.push({ time, label: isoDate(time).slice(0, 7) });
    }
  }
  return ticks;
}

// Dates that lie further before the next than the rest of the history spans (one cluster dated 1900 in a coalition
// of the 2020s) are drawn behind a break in the axis, so that they do not squeeze the rest into a corner.
function outliers(points, end) {
  let count = 0;
  while (count < points.length - 1
    && points[count + 1].time - points[count].time > Math.max(end - points[count + 1].time, YEAR)) {
    count++;
  }
  return points.slice(0, count);
}

function renderChart() {
  const svg = $('history');
  const figure = $('figure').value;
  const { label, unit } = FIGURES[figure];
  const width = Math.max(280, svg.clientWidth);
  const height = Math.max(160, svg.clientHeight);
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  svg.replaceChildren();
  $('chart-title').textContent = label + ' over time';
  $('history-figure').textContent = label + ' (' + unit + ')';

  const end = Math.max(Date.now(), ...history.map(point => point.time));
  const range = $('range').value;
  const early = range === 'all' ? outliers(history, end) : [];
  const rest = history.slice(early.length);
  const start = range === 'all'
    ? (rest.length ? rest[0].time - Math.max((end - rest[0].time) * 0.03, DAY) : end - YEAR)
    : end - Number(range) * YEAR;
  chartPoints = rest.filter(point => point.time >= start);
  const startValue = valueAt(figure, start);
  const highest = Math.max(startValue, ...chartPoints.map(point => point[figure]));
  const integral = figure === 'clusters' || figure === 'countries' || figure === 'jobs';
  const ticks = yTicks(highest, integral);
  const top = ticks[ticks.length - 1];

  // The labels' room follows the font size, which grows on wall screens.
  const text = 0.75 * parseFloat(getComputedStyle(document.documentElement).fontSize);
  const margin = { top: text, right: 16, bottom: 2.4 * text, left: 12 + 0.65 * text * formatted(figure, top).length };
  const left = margin.left + (early.length ? 48 : 0);
  const right = width - margin.right;
  const bottom = height - margin.bottom;
  const x = time => left + (right - left) * (time - start) / (end - start);
  const y = value => bottom - (bottom - margin.top) * value / top;

  for (const tick of ticks) {
    svg.append(element('svg:line', { class: 'grid', x1: margin.left, x2: right, y1: y(tick), y2: y(tick) }));
    svg.append(element('svg:text', { class: 'y-label', x: margin.left - 6, y: y(tick) + text / 3 }, formatted(figure, tick)));
  }
  for (const tick of xTicks(start, end, Math.floor((right - left) / (6 * text)))) {
    svg.append(element('svg:line', { class: 'grid', x1: x(tick.time), x2: x(tick.time), y1: margin.top, y2: bottom }));
    svg.append(element('svg:text', { class: 'x-label', x: x(tick.time), y: height - text / 2 }, tick.label));
  }
  if (early.length) {
    const stub = margin.left + 20;
    const last = early[early.length - 1];
    svg.append(element('svg:circle', { class: 'point', cx: stub, cy: y(last[figure]), r: 4 }));
    svg.append(element('svg:text', { class: 'x-label', x: stub, y: height - text / 2 }, String(new Date(last.time).getUTCFullYear())));
    svg.append(element('svg:path', { class: 'break', d: 'M' + (left - 14) + ' ' + (bottom + 6) + 'l6 -12m2 12l6 -12' }));
  }

  // A step line: the totals hold from one date until the next change.
  let path = 'M' + left + ' ' + y(startValue);
  for (const point of chartPoints) {
    path += 'H' + x(point.time) + 'V' + y(point[figure]);
  }
  path += 'H' + right;
  svg.append(element('svg:path', { class: 'line', d: path }));
  for (const point of chartPoints) {
    svg.append(element('svg:circle', { class: 'point', cx: x(point.time), cy: y(point[figure]), r: 3 }));
  }
  svg.append(element('svg:line', { id: 'chart-cursor', class: 'cursor', y1: margin.top, y2: bottom, visibility: 'hidden' }));
  chartScale = { x, y, figure };

  const summary = history.length === 0
    ? 'No cluster has joined yet.'
    : label + ': ' + formatted(figure, valueAt(figure, start)) + ' on ' + isoDate(start) + ', '
      + formatted(figure, valueAt(figure, end)) + ' on ' + isoDate(end) + '; ' + chartPoints.length
      + ' dates of change in this range.'
      + (early.length ? ' ' + early.map(point => isoDate(point.time)).join(', ')
        + ' lie far before the rest and are drawn left of the break in the axis.' : '');
  $('chart-summary').textContent = summary;
  $('history-table').replaceChildren(...[...early, ...chartPoints].map(point => {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, isoDate(point.time)), element('td', {}, formatted(figure, point[figure])));
    return row;
  }));
  selectPoint(chartSelected === null ? null : Math.min(chartSelected, chartPoints.length - 1));
}

// The tooltip follows the pointer, or the arrow keys when the chart has the focus.
function selectPoint(index) {
  const tip = $('chart-tip');
  const cursor = $('chart-cursor');
  chartSelected = index;
  if (index === null || index < 0 || !chartPoints[index]) {
    tip.hidden = true;
    cursor?.setAttribute('visibility', 'hidden');
    return;
  }
  const point = chartPoints[index];
  const { x, y, figure } = chartScale;
  const before = index > 0 ? chartPoints[index - 1][figure] : valueAt(figure, point.time - 1);
  tip.textContent = point.asOf + ': ' + formatted(figure, point[figure]) + ' ' + FIGURES[figure].unit
    + ' (' + signed(figure, point[figure] - before) + ')';
  tip.hidden = false;
  const svg = $('history');
  const scale = svg.clientWidth / svg.viewBox.baseVal.width;
  tip.style.left = Math.min(x(point.time) * scale, svg.clientWidth - tip.offsetWidth) + 'px';
  tip.style.top = Math.max(0, y(point[figure]) * scale - tip.offsetHeight - 8) + 'px';
  cursor.setAttribute('x1', x(point.time));
  cursor.setAttribute('x2', x(point.time));
  cursor.setAttribute('visibility', 'visible');
}

$('history').addEventListener('pointermove', event => {
  if (!chartScale || chartPoints.length === 0) return;
  const svg = $('history');
  const at = (event.clientX - svg.getBoundingClientRect().left) * svg.viewBox.baseVal.width / svg.clientWidth;
  let nearest = 0;
  chartPoints.forEach((point, index) => {
    if (Math.abs(chartScale.x(point.time) - at) < Math.abs(chartScale.x(chartPoints[nearest].time) - at)) {
      nearest = index;
    }
  });
  selectPoint(nearest);
});
$('history').addEventListener('pointerleave', () => selectPoint(null));
$('history').addEventListener('blur', () => selectPoint(null));
$('history').addEventListener('focus', () => selectPoint(chartPoints.length - 1));
$('history').addEventListener('keydown', event => {
  const moves = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity };
  if (event.key === 'Escape') {
    selectPoint(null);
  } else if (event.key in moves) {
    event.preventDefault();
    const from = chartSelected ?? chartPoints.length - 1;
    selectPoint(Math.max(0, Math.min(chartPoints.length - 1, from + moves[event.key])));
  }
});

async function refreshHistory() {
  history = (await json('/coalition/history')).map(point => ({ ...point, time: Date.parse(point.asOf) }));
  renderChart();
}

// ---- The world map: member countries shaded by the chosen figure, in five classes of equal count ----

let worldMap = null;
let countryRows = [];
const SHADES = 5;

async function loadMap() {
  worldMap = await json($('map').dataset.src);
  const svg = $('map');
  svg.setAttribute('viewBox', '0 0 ' + worldMap.width + ' ' + worldMap.height);
  svg.replaceChildren(...worldMap.countries.map(country => element('svg:path',
    { d: country.path, class: 'land', 'data-code': country.code ?? '' })));
  renderMap();
}

function renderMap() {
  if (!worldMap) return;
  // Every member country is one country: the map shows clusters instead of a uniform "1".
  const chosen = $('figure').value;
  const figure = chosen === 'countries' ? 'clusters' : chosen;
  const members = [...countryRows].sort((a, b) => a[figure] - b[figure]);
  // Equal values share a shade: a country's rank is that of the first with its value.
  const rankOf = value => members.findIndex(row => row[figure] === value);
  const shade = new Map(members.map(row => [row.name, Math.floor(rankOf(row[figure]) * SHADES / members.length) + 1]));
  for (const path of $('map').children) {
    const level = shade.get(path.dataset.code);
    path.setAttribute('class', level ? 'land member shade-' + level : 'land');
  }
  const legend = [];
  for (let level = 1; level <= SHADES; level++) {
    const rows = members.filter(row => shade.get(row.name) === level);
    if (rows.length === 0) continue;
    const low = formatted(figure, rows[0][figure]);
    const high = formatted(figure, rows[rows.length - 1][figure]);
    const item = element('span', { class: 'key' });
    item.append(element('span', { class: 'swatch shade-' + level, 'aria-hidden': 'true' }), low === high ? low : low + '–' + high);
    legend.push(item);
  }
  const { label, unit } = FIGURES[figure];
  $('map-legend').replaceChildren((label.toLowerCase() === unit ? label : label + ' (' + unit + ')') + ': ', ...legend);
  const drawn = new Set(worldMap.countries.map(country => country.code));
  const missing = members.filter(row => !drawn.has(row.name)).map(row => countryName(row.name));
  $('map-summary').textContent = integer.format(members.length) + ' member countries, shaded by '
    + label.toLowerCase() + ' in ' + Math.min(SHADES, members.length)
    + ' groups of about the same size; the table "By country" below lists the same figures.'
    + (missing.length ? ' Too small to draw at this scale: ' + missing.join(', ') + '.' : '');
}

$('map').addEventListener('pointermove', event => {
  const tip = $('map-tip');
  const code = event.target.dataset?.code;
  const row = countryRows.find(candidate => candidate.name === code);
  if (!code || !row) {
    tip.hidden = true;
    return;
  }
  const chosen = $('figure').value;
  const figure = chosen === 'countries' ? 'clusters' : chosen;
  tip.textContent = countryName(code) + ': ' + formatted(figure, row[figure]) + ' ' + FIGURES[figure].unit
    + (figure === 'clusters' ? '' : ', ' + integer.format(row.clusters) + ' clusters');
  tip.hidden = false;
  const box = $('map').getBoundingClientRect();
  tip.style.left = Math.min(event.clientX - box.left + 12, box.width - tip.offsetWidth) + 'px';
  tip.style.top = Math.max(0, event.clientY - box.top - tip.offsetHeight - 8) + 'px';
});
$('map').addEventListener('pointerleave', () => { $('map-tip').hidden = true; });

// ---- Breakdowns, read as people say them, every figure, sortable, all rows behind "Show all" ----

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const FIRST_ROWS = 12;

function countryName(code) {
  try {
    return regionNames.of(code) ?? code;
  } catch {
    return code;
  }
}

function vocabularyLabel(code) {
  const words = code.toLowerCase().split('_').join(' ');
  return code === 'CCS' ? 'Carbon capture and storage' : words.charAt(0).toUpperCase() + words.slice(1);
}

const BREAKDOWNS = {
  countries: { body: 'by-country', heading: 'Country', label: countryName },
  regions: { body: 'by-region', heading: 'Region', label: vocabularyLabel },
  sectors: { body: 'by-sector', heading: 'Sector', label: vocabularyLabel },
  cohorts: { body: 'by-cohort', heading: 'Year', label: year => year }
};
// Every figure; a country's row has no countries (it is one).
const COLUMNS = ['name', 'clusters', 'countries', 'emissionsReductionMtPerYear', 'jobs', 'gdpUsdBn'];
const COLUMN_HEADINGS = {
  clusters: 'Clusters', countries: 'Countries', emissionsReductionMtPerYear: 'MtCO\u2082e/yr', jobs: 'Jobs',
  gdpUsdBn: 'GDP US$ bn'
};
const columnsOf = kind => COLUMNS.filter(column => kind !== 'countries' || column !== 'countries');

for (const panel of document.querySelectorAll('.breakdown')) {
  const breakdown = BREAKDOWNS[panel.dataset.kind];
  Object.assign(breakdown, { rows: [], sortBy: 'emissionsReductionMtPerYear', descending: true, all: false });
  breakdown.columns = columnsOf(panel.dataset.kind);
  const head = element('tr');
  for (const column of breakdown.columns) {
    const cell = element('th', { scope: 'col', 'data-column': column });
    const sort = element('button', { type: 'button', class: 'sort' },
      column === 'name' ? breakdown.heading : COLUMN_HEADINGS[column]);
    sort.addEventListener('click', () => {
      breakdown.descending = breakdown.sortBy === column ? !breakdown.descending : column !== 'name';
      breakdown.sortBy = column;
      renderBreakdown(breakdown);
    });
    cell.append(sort);
    head.append(cell);
  }
  const table = element('table');
  const thead = element('thead');
  thead.append(head);
  table.append(thead, element('tbody', { id: breakdown.body }));
  const more = element('button', { type: 'button', class: 'show-all', 'data-for': breakdown.body, hidden: '' });
  more.addEventListener('click', () => {
    breakdown.all = !breakdown.all;
    renderBreakdown(breakdown);
  });
  panel.append(table, more);
  breakdown.panel = panel;
}

function renderBreakdown(breakdown) {
  const { sortBy, descending, label } = breakdown;
  const order = sortBy === 'name'
    ? (a, b) => label(a.name).localeCompare(label(b.name))
    : (a, b) => a[sortBy] - b[sortBy] || label(a.name).localeCompare(label(b.name));
  const sorted = [...breakdown.rows].sort((a, b) => (descending ? -1 : 1) * order(a, b));
  for (const cell of breakdown.panel.querySelectorAll('thead th')) {
    if (cell.dataset.column === sortBy) {
      cell.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    } else {
      cell.removeAttribute('aria-sort');
    }
  }
  $(breakdown.body).replaceChildren(...sorted.slice(0, breakdown.all ? sorted.length : FIRST_ROWS).map(line => {
    const row = element('tr');
    row.append(element('th', { scope: 'row', title: line.name }, label(line.name)));
    for (const column of breakdown.columns.slice(1)) {
      row.append(element('td', {}, formatted(column, line[column])));
    }
    return row;
  }));
  const button = breakdown.panel.querySelector('.show-all');
  button.hidden = sorted.length <= FIRST_ROWS;
  button.textContent = breakdown.all ? 'Show the first ' + FIRST_ROWS : 'Show all ' + sorted.length;
  button.setAttribute('aria-expanded', String(breakdown.all));
}

async function refreshBreakdowns() {
  await Promise.all(Object.entries(BREAKDOWNS).map(async ([kind, breakdown]) => {
    breakdown.rows = await json('/coalition/' + kind);
    renderBreakdown(breakdown);
  }));
  countryRows = BREAKDOWNS.countries.rows;
  renderMap();
  fillChoices($('directory-country'), BREAKDOWNS.countries.rows, countryName);
  fillChoices($('directory-sector'), BREAKDOWNS.sectors.rows, vocabularyLabel);
}

// ---- The members: search (ignoring case and accents), filters, pages, and each cluster's page with its versions ----

const PAGE_SIZE = 10;
// Where each page seen starts (its after; null for the first): next follows the page's own next, previous goes back.
const directory = { starts: [null], next: null };

async function refreshDirectory() {
  const query = new URLSearchParams({ size: PAGE_SIZE });
  const start = directory.starts[directory.starts.length - 1];
  if (start) query.set('after', start);
  for (const [parameter, field] of [['q', 'directory-q'], ['country', 'directory-country'], ['sector', 'directory-sector']]) {
    if ($(field).value.trim()) query.set(parameter, $(field).value.trim());
  }
  if ($('directory-withdrawn').checked) query.set('withdrawn', 'true');
  const page = await json('/clusters?' + query);
  directory.next = page.next;
  $('members').replaceChildren(...page.clusters.map(cluster => {
    const item = element('li');
    const open = element('button', { type: 'button', class: 'link' }, cluster.name ?? 'unnamed cluster');
    open.addEventListener('click', () => showCluster(cluster.clusterId).catch(console.error));
    item.append(open, ' ', element('small', {}, countryName(cluster.country) + ', joined ' + cluster.joinedOn
      + (cluster.withdrawnOn ? ', left ' + cluster.withdrawnOn : '')));
    if ((cluster.figuresBasis ?? '').startsWith('apportioned')) {
      item.append(' ', element('span', { class: 'tag' }, 'apportioned'));
      $('apportioned').hidden = false;
    }
    return item;
  }));
  const first = (directory.starts.length - 1) * PAGE_SIZE + 1;
  // A filter that matches more than the service counts has no total: the pages still go on.
  const of = page.total === null ? 'more than ' + integer.format(10000) : integer.format(page.total);
  $('directory-position').textContent = page.clusters.length === 0 ? 'No member matches.'
    : integer.format(first) + '–' + integer.format(first + page.clusters.length - 1) + ' of ' + of;
  $('directory-previous').disabled = directory.starts.length === 1;
  $('directory-next').disabled = !page.next;
}

function fillChoices(select, rows, label) {
  const chosen = select.value;
  select.replaceChildren(element('option', { value: '' }, 'All'), ...[...rows]
    .sort((a, b) => label(a.name).localeCompare(label(b.name)))
    .map(row => element('option', { value: row.name }, label(row.name))));
  select.value = rows.some(row => row.name === chosen) ? chosen : '';
}

const CHANGES = { JOINED: 'joined', FIGURES_REVISED: 'figures revised', WITHDRAWN: 'left the coalition' };

async function showCluster(id) {
  const [cluster, versions] = await Promise.all([json('/clusters/' + id), json('/clusters/' + id + '/versions')]);
  $('cluster-name').textContent = cluster.name;
  $('cluster-facts').textContent = [countryName(cluster.country), vocabularyLabel(cluster.region ?? ''),
    cluster.sectors.map(vocabularyLabel).join(', '), 'joined ' + cluster.joinedOn,
    cluster.withdrawnOn ? 'left ' + cluster.withdrawnOn : null, cluster.figuresBasis].filter(Boolean).join(' · ');
  $('cluster-versions').replaceChildren(...versions.map(version => {
    const row = element('tr');
    row.append(element('th', { scope: 'row' }, String(version.version)),
      element('td', {}, (CHANGES[version.change] ?? version.change)
        + (version.withdrawnOn ? ' on ' + version.withdrawnOn : '')),
      element('td', {}, version.happenedAt ? isoTime(version.happenedAt) : '–'),
      element('td', {}, formatted('emissionsReductionMtPerYear', version.emissionsReductionMtPerYear)),
      element('td', {}, formatted('jobs', version.jobs)), element('td', {}, formatted('gdpUsdBn', version.gdpUsdBn)));
    return row;
  }));
  if (!$('cluster-page').open) $('cluster-page').showModal();
}

let searching;
$('directory-q').addEventListener('input', () => {
  clearTimeout(searching);
  searching = setTimeout(() => {
    directory.starts = [null];
    refreshDirectory().catch(console.error);
  }, 250);
});
for (const id of ['directory-country', 'directory-sector', 'directory-withdrawn']) {
  $(id).addEventListener('change', () => {
    directory.starts = [null];
    refreshDirectory().catch(console.error);
  });
}
$('directory-previous').addEventListener('click', () => {
  if (directory.starts.length > 1) directory.starts.pop();
  refreshDirectory().catch(console.error);
});
$('directory-next').addEventListener('click', () => {
  if (directory.next) directory.starts.push(directory.next);
  refreshDirectory().catch(console.error);
});
$('cluster-page').addEventListener('click', event => {
  if (event.target === $('cluster-page')) $('cluster-page').close();
});

// ---- Keeping up: the stream, or polling when it cannot be opened ----

// Views of the stream keep only the newest version per scope: a resent or older event changes nothing.
const versions = new Map();

// Joins come in bursts (a roster import): refresh the lists once the burst has passed.
let pending;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(() => Promise.all([refreshBreakdowns(), refreshDirectory(), refreshHistory(), refreshThen()])
    .catch(console.error), 300);
}

function connect() {
  const stream = new EventSource('/coalition/stream');
  stream.onopen = () => {
    streamOpen = true;
    lastHeardAt = Date.now();
    $('status').className = 'status connected';
    $('connection').textContent = 'stream connected';
  };
  stream.onerror = () => {
    streamOpen = false;
    $('status').className = 'status disconnected';
    $('connection').textContent = 'no live stream, checking every ' + POLL_WITHOUT_STREAM_MS / 1000 + ' s';
    if (stream.readyState === EventSource.CLOSED) {
      setTimeout(connect, 30000);
    }
  };
  stream.addEventListener('heartbeat', event => {
    const now = Date.now();
    if (lastHeartbeatAt !== null) {
      heartbeatMs = Math.max(1000, now - lastHeartbeatAt);
    }
    lastHeartbeatAt = now;
    lastHeardAt = now;
    showFreshness(JSON.parse(event.data));
  });
  stream.addEventListener('totals', event => {
    lastHeardAt = Date.now();
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

let lastPollAt = 0;

async function poll() {
  lastPollAt = Date.now();
  try {
    const coalition = await json('/coalition');
    lastHeardAt = Date.now();
    if (!current || Date.parse(coalition.updatedAt ?? 0) > Date.parse(current.updatedAt ?? 0)) {
      show(coalition);
    }
    // Without the stream nothing says when the other views change; their ETags make an unchanged answer cheap.
    if (!streamOpen) {
      refreshSoon();
    }
    showFreshness(coalition.freshness);
  } catch (failure) {
    serverStale = { stale: true, reasons: ['The reporting API does not answer (' + failure.message + ').'] };
    tick();
  }
}

$('since').value = isoDate(Date.now() - YEAR);
$('since').max = isoDate(Date.now());
$('since').addEventListener('change', () => {
  if ($('since').checkValidity()) refreshThen().catch(console.error);
});
$('figure').addEventListener('change', () => {
  renderChart();
  renderMap();
});
$('range').addEventListener('change', renderChart);
new ResizeObserver(() => renderChart()).observe($('history'));

// The stream starts with every current view, the coalition's among them.
refreshSoon();
loadMap().catch(console.error);
connect();
poll();
setInterval(() => {
  if (!streamOpen || Date.now() - lastPollAt >= POLL_WITH_STREAM_MS) poll();
}, POLL_WITHOUT_STREAM_MS);
setInterval(tick, 1000);
