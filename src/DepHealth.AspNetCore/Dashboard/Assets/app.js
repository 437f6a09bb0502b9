// DepHealth status page: polls the details JSON and renders it grouped by dependency, failing first.
// Every text from the server goes through textContent or an attribute value: endpoint names and labels are user input.
(function () {
  'use strict';

  var REFRESH_MS = 3000;
  var RING = 60;
  var SVG = 'http://www.w3.org/2000/svg';
  var RANK = { unhealthy: 0, warning: 1, unknown: 2, healthy: 3 };

  var root = document.documentElement;
  var detailsUrl = root.getAttribute('data-details');
  var $ = function (id) { return document.getElementById(id); };
  var rowsEl = $('rows'), filterEl = $('filter'), failingEl = $('failing-only'), summaryEl = $('summary');
  var updatedEl = $('updated'), bannerEl = $('banner'), emptyEl = $('empty');

  var endpoints = new Map(); // key -> endpoint view
  var groups = new Map();    // dependency -> group view
  var generation = 0;
  var lastSuccess = null;
  var serverOffsetMs = 0;
  var filterTokens = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function setText(node, text) {
    if (node.textContent !== text) { node.textContent = text; }
  }

  function health(d) {
    if (d.healthy === null || d.healthy === undefined) { return 'unknown'; }
    if (!d.healthy) { return 'unhealthy'; }
    // Healthy by threshold but the last check failed: about to flip.
    return d.status === 'ok' ? 'healthy' : 'warning';
  }

  function formatLatency(ms) {
    if (typeof ms !== 'number' || !isFinite(ms)) { return '–'; }
    if (ms >= 1000) { return (ms / 1000).toFixed(2) + ' s'; }
    if (ms >= 100) { return ms.toFixed(0) + ' ms'; }
    return ms.toFixed(1) + ' ms';
  }

  function formatAge(iso, nowMs) {
    if (!iso) { return 'never'; }
    var t = Date.parse(iso);
    if (isNaN(t)) { return String(iso); }
    var s = Math.max(0, Math.round((nowMs - t) / 1000));
    if (s < 60) { return s + ' s ago'; }
    if (s < 3600) { return Math.floor(s / 60) + ' min ago'; }
    if (s < 86400) { return Math.floor(s / 3600) + ' h ago'; }
    return Math.floor(s / 86400) + ' d ago';
  }

  function createEndpoint(key) {
    var row = el('tr', 'ep');
    row.setAttribute('data-key', key);
    var statusCell = el('td', 'c-status'), pill = el('span', 'pill');
    statusCell.appendChild(pill);
    var addrCell = el('td'), addr = el('span', 'addr'), labels = el('span', 'labels');
    addrCell.appendChild(addr);
    addrCell.appendChild(labels);
    var detailCell = el('td', 'detail');
    var critCell = el('td', 'c-crit');
    var latCell = el('td', 'c-num'), ageCell = el('td', 'c-num');
    var trendCell = el('td', 'c-trend');
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', '96');
    svg.setAttribute('height', '22');
    svg.setAttribute('viewBox', '0 0 96 22');
    var title = document.createElementNS(SVG, 'title');
    var marks = document.createElementNS(SVG, 'path');
    var upMarks = document.createElementNS(SVG, 'path');
    var line = document.createElementNS(SVG, 'polyline');
    marks.setAttribute('class', 'down');
    upMarks.setAttribute('class', 'up');
    line.setAttribute('class', 'lat');
    svg.appendChild(title);
    svg.appendChild(upMarks);
    svg.appendChild(marks);
    svg.appendChild(line);
    trendCell.appendChild(svg);
    var share = el('span', 'share');
    trendCell.appendChild(share);
    row.append(statusCell, addrCell, detailCell, critCell, latCell, ageCell, trendCell);
    return {
      key: key, row: row, pill: pill, addr: addr, labels: labels, detail: detailCell, crit: critCell, lat: latCell,
      age: ageCell, title: title, marks: marks, upMarks: upMarks, line: line, share: share, ring: [], passed: 0, total: 0,
      lastChecked: undefined, sparkVersion: -1,
      ringVersion: 0, labelText: null, haystack: '', health: 'unknown', data: null, seen: 0
    };
  }

  function sample(h) {
    var latency = typeof h.latency_ms === 'number' ? h.latency_ms : 0;
    var ok = typeof h.healthy === 'boolean' ? h.healthy : h.status === 'ok';
    return { l: latency, ok: ok, pass: h.status === 'ok' };
  }

  function updateEndpoint(ep, d, nowMs) {
    ep.data = d;
    ep.health = health(d);
    if (ep.row.getAttribute('data-health') !== ep.health) { ep.row.setAttribute('data-health', ep.health); }
    setText(ep.pill, ep.health === 'warning' ? 'failing' : ep.health);
    setText(ep.addr, String(d.host) + ':' + String(d.port));

    var labelText = JSON.stringify(d.labels || {});
    if (labelText !== ep.labelText) {
      ep.labelText = labelText;
      var frag = document.createDocumentFragment();
      var names = Object.keys(d.labels || {}).sort();
      for (var i = 0; i < names.length; i++) {
        frag.appendChild(el('span', 'label', names[i] + '=' + String(d.labels[names[i]])));
      }
      ep.labels.replaceChildren(frag);
    }

    var detail = d.status === d.detail ? String(d.status) : String(d.status) + ' · ' + String(d.detail);
    // A restored result was saved before a restart: this process has not checked the endpoint yet.
    setText(ep.detail, d.restored === true ? detail + ' (before restart)' : detail);
    if (d.critical !== ep.critical) {
      ep.critical = d.critical;
      ep.crit.replaceChildren(d.critical ? el('span', 'crit', 'CRITICAL') : document.createTextNode('no'));
    }

    setText(ep.lat, d.last_checked_at ? formatLatency(d.latency_ms) : '–');
    setText(ep.age, formatAge(d.last_checked_at, nowMs));
    if ((ep.age.title || null) !== (d.last_checked_at || null)) { ep.age.title = d.last_checked_at || ''; }

    if (Array.isArray(d.history)) {
      // Server-side history (bounded by the server) wins over what this page happened to observe.
      ep.ring = d.history.slice(-RING).map(sample);
      ep.passed = d.history.filter(function (h) { return h && h.status === 'ok'; }).length;
      ep.total = d.history.length;
      ep.ringVersion++;
    } else if (d.last_checked_at && d.last_checked_at !== ep.lastChecked) {
      ep.ring.push(sample(d));
      if (ep.ring.length > RING) { ep.ring.shift(); }
      ep.passed = ep.ring.filter(function (r) { return r.pass; }).length;
      ep.total = ep.ring.length;
      ep.ringVersion++;
    }
    ep.lastChecked = d.last_checked_at;

    ep.haystack = [d.name, d.host + ':' + d.port, d.type, d.status, d.detail, ep.health,
      d.critical ? 'critical' : 'non-critical', d.restored === true ? 'restored' : '', labelText].join(' ').toLowerCase();
  }

  function drawSpark(ep) {
    if (ep.sparkVersion === ep.ringVersion) { return; }
    ep.sparkVersion = ep.ringVersion;
    var ring = ep.ring, n = ring.length;
    if (n === 0) {
      ep.line.setAttribute('points', '');
      ep.marks.setAttribute('d', '');
      ep.upMarks.setAttribute('d', '');
      ep.title.textContent = 'no checks observed yet';
      setText(ep.share, '');
      ep.share.removeAttribute('title');
      return;
    }
    // Latency as a line scaled to the largest sample; below it one bar per check, red when it failed.
    var max = 1, sum = 0, down = 0;
    for (var i = 0; i < n; i++) { max = Math.max(max, ring[i].l); sum += ring[i].l; if (!ring[i].ok) { down++; } }
    var step = 96 / Math.max(n, 20), x0 = 96 - n * step, w = Math.max(step - 0.6, 0.8).toFixed(1);
    var points = [], bad = [], good = [];
    for (var j = 0; j < n; j++) {
      var x = x0 + j * step;
      points.push((x + step / 2).toFixed(1) + ',' + (16 - (ring[j].l / max) * 14).toFixed(1));
      (ring[j].ok ? good : bad).push('M' + x.toFixed(1) + (ring[j].ok ? ' 19.5h' + w + 'v2.5h-' : ' 18h' + w + 'v4h-') + w + 'z');
    }
    ep.line.setAttribute('points', points.join(' '));
    ep.marks.setAttribute('d', bad.join(''));
    ep.upMarks.setAttribute('d', good.join(''));
    ep.title.textContent = n + ' checks: ' + down + ' failed, latency avg ' + formatLatency(sum / n) + ', max ' + formatLatency(max);
    // The share of kept checks that passed (status ok), floored so that one failure never rounds up to 100%.
    var pct = ep.total ? Math.floor(ep.passed * 1000 / ep.total) / 10 : 0;
    setText(ep.share, (pct % 1 === 0 ? pct.toFixed(0) : pct.toFixed(1)) + '%');
    ep.share.title = ep.passed + ' of ' + ep.total + ' kept checks healthy';
    ep.share.setAttribute('data-passed', String(ep.passed));
    ep.share.setAttribute('data-total', String(ep.total));
  }

  function createGroup(name) {
    var row = el('tr', 'group'), th = el('th');
    th.colSpan = 7;
    var dep = el('span', 'dep', name), meta = el('span', 'meta'), count = el('span', 'count');
    th.append(dep, meta, count);
    row.appendChild(th);
    row.setAttribute('data-dependency', name);
    return { name: name, row: row, meta: meta, count: count, members: [], rank: 3 };
  }

  function compareEndpoints(a, b) {
    return (RANK[a.health] - RANK[b.health]) || (b.data.critical - a.data.critical) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  }

  function render(json, nowMs) {
    var started = performance.now();
    generation++;
    var keys = Object.keys(json);
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i], d = json[key];
      if (!d || typeof d !== 'object') { continue; }
      var ep = endpoints.get(key);
      if (!ep) { ep = createEndpoint(key); endpoints.set(key, ep); }
      ep.seen = generation;
      updateEndpoint(ep, d, nowMs);
    }

    groups.forEach(function (g) { g.members = []; });
    var counts = { total: 0, unhealthy: 0, critical: 0, warning: 0, unknown: 0, healthy: 0 };
    endpoints.forEach(function (ep, key) {
      if (ep.seen !== generation) { endpoints.delete(key); return; }
      var name = String(ep.data.name);
      var g = groups.get(name);
      if (!g) { g = createGroup(name); groups.set(name, g); }
      g.members.push(ep);
      counts.total++;
      counts[ep.health]++;
      if (ep.health === 'unhealthy' && ep.data.critical) { counts.critical++; }
    });

    var ordered = [];
    groups.forEach(function (g, name) {
      if (g.members.length === 0) { groups.delete(name); return; }
      g.members.sort(compareEndpoints);
      g.rank = RANK[g.members[0].health];
      var up = 0, types = new Set(), critical = false;
      for (var k = 0; k < g.members.length; k++) {
        var m = g.members[k];
        if (m.health === 'healthy' || m.health === 'warning') { up++; }
        types.add(String(m.data.type));
        critical = critical || m.data.critical === true;
      }
      g.row.setAttribute('data-health', g.rank === 0 ? 'unhealthy' : 'ok');
      setText(g.meta, Array.from(types).join(', ') + (critical ? ' · critical' : ''));
      setText(g.count, up + '/' + g.members.length + ' healthy');
      ordered.push(g);
    });
    ordered.sort(function (a, b) { return (a.rank - b.rank) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0); });

    // One DOM operation moves every (reused) row into its new place.
    var frag = document.createDocumentFragment();
    for (var gi = 0; gi < ordered.length; gi++) {
      frag.appendChild(ordered[gi].row);
      var members = ordered[gi].members;
      for (var mi = 0; mi < members.length; mi++) { drawSpark(members[mi]); frag.appendChild(members[mi].row); }
    }
    rowsEl.replaceChildren(frag);
    applyFilter(ordered);
    renderSummary(counts);
    root.setAttribute('data-generation', String(generation));
    return performance.now() - started;
  }

  function renderSummary(c) {
    var chips = document.createDocumentFragment();
    chips.appendChild(el('span', 'chip', c.total + ' endpoints'));
    chips.appendChild(el('span', c.unhealthy ? 'chip bad' : 'chip ok',
      c.unhealthy + ' failing' + (c.critical ? ' (' + c.critical + ' critical)' : '')));
    if (c.warning) { chips.appendChild(el('span', 'chip warn', c.warning + ' below threshold')); }
    if (c.unknown) { chips.appendChild(el('span', 'chip', c.unknown + ' not checked yet')); }
    summaryEl.replaceChildren(chips);
  }

  function applyFilter(ordered) {
    var failingOnly = failingEl.checked, visible = 0;
    var list = ordered || Array.from(groups.values());
    for (var gi = 0; gi < list.length; gi++) {
      var g = list[gi], shown = 0;
      for (var mi = 0; mi < g.members.length; mi++) {
        var ep = g.members[mi], match = !failingOnly || ep.health === 'unhealthy' || ep.health === 'warning';
        for (var t = 0; match && t < filterTokens.length; t++) { match = ep.haystack.indexOf(filterTokens[t]) >= 0; }
        if (ep.row.hidden === match) { ep.row.hidden = !match; }
        if (match) { shown++; }
      }
      if (g.row.hidden !== (shown === 0)) { g.row.hidden = shown === 0; }
      visible += shown;
    }
    root.setAttribute('data-visible', String(visible));
    emptyEl.hidden = visible > 0 || generation === 0;
    setText(emptyEl, endpoints.size === 0 ? 'No endpoints are registered.' : 'No endpoint matches the filter.');
  }

  function readFilter() {
    filterTokens = filterEl.value.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
    try {
      history.replaceState(null, '', filterEl.value ? '#q=' + encodeURIComponent(filterEl.value) : location.pathname + location.search);
    } catch (e) { /* a sandboxed frame may refuse */ }
  }

  var filterPending = false;
  function onFilterInput() {
    if (filterPending) { return; }
    filterPending = true;
    requestAnimationFrame(function () { filterPending = false; readFilter(); applyFilter(); });
  }

  function showError(message) {
    bannerEl.textContent = message + (lastSuccess ? ' — showing data from ' + lastSuccess.toLocaleTimeString() : '');
    bannerEl.hidden = false;
    document.body.classList.add('stale');
  }

  function refresh() {
    var url = detailsUrl + (detailsUrl.indexOf('?') >= 0 ? '&' : '?') + 'history=true';
    fetch(url, { cache: 'no-store', credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (response) {
        if (!response.ok) {
          var hint = response.status === 401 || response.status === 403 ? ' (the details endpoint requires authorization)' : '';
          throw new Error('HTTP ' + response.status + hint);
        }
        var date = Date.parse(response.headers.get('Date') || '');
        serverOffsetMs = isNaN(date) ? 0 : date - Date.now();
        return response.json();
      })
      .then(function (json) {
        var ms = render(json, Date.now() + serverOffsetMs);
        lastSuccess = new Date();
        bannerEl.hidden = true;
        document.body.classList.remove('stale');
        setText(updatedEl, 'updated ' + lastSuccess.toLocaleTimeString() + ' · every ' + REFRESH_MS / 1000 + ' s · rendered in ' + Math.round(ms) + ' ms');
        root.setAttribute('data-render-ms', ms.toFixed(1));
      })
      .catch(function (error) { showError('Cannot refresh ' + detailsUrl + ': ' + (error && error.message ? error.message : error)); })
      .then(function () { setTimeout(refresh, REFRESH_MS); });
  }

  var hash = /^#q=(.*)$/.exec(location.hash);
  if (hash) { try { filterEl.value = decodeURIComponent(hash[1]); } catch (e) { /* malformed: ignore */ } }
  readFilter();
  filterEl.addEventListener('input', onFilterInput);
  failingEl.addEventListener('change', function () { applyFilter(); });
  refresh();
})();
