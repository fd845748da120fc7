// BatchSync dashboard: reads the admin API with a token kept in this tab's sessionStorage only.
'use strict';

(() => {
  const TOKEN_KEY = 'batchsync.admin-token';
  const API = '/api/v1/admin';
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  let config = { tile_url: null, tile_attribution: null, refresh_seconds: 5 };
  let timer = null;
  let selectedSync = null;

  // ---------- small helpers (no innerHTML: device ids and reasons come from clients) ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const instant = (text) => text ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : text + 'Z') : null;
  const fmtTime = (date) => date ? date.toLocaleString() : '';
  const fmtClock = (ms) => new Date(ms).toLocaleTimeString();
  const fmtNumber = (n) => (n ?? 0).toLocaleString();

  function ago(date) {
    if (!date) return '';
    const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
    if (seconds < 60) return `${seconds} s ago`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
    if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
    return `${Math.floor(seconds / 86400)} d ago`;
  }

  const statusBadge = (status) => el('span', { class: `status ${status}` }, status);

  function progress(received, total) {
    const share = total > 0 ? Math.min(1, received / total) : 0;
    const bar = el('span');
    bar.style.width = `${Math.round(share * 100)}%`;
    return el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': received },
      el('div', { class: 'bar' }, bar), el('span', { class: 'count' }, `${received}/${total}`));
  }

  // ---------- the admin API ----------
  class AuthError extends Error {}

  async function api(path) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) throw new AuthError('Signed out');
    const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    if (response.status === 401 || response.status === 403) {
      throw new AuthError(response.status === 401 ? 'That token is unknown or revoked.' : 'That token is not an admin token.');
    }
    if (!response.ok) throw new Error(`${response.status} on ${path}`);
    return (await response.json()).data;
  }

  async function download(path, name) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const response = await fetch(API + path, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${response.status} on ${path}`);
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // ---------- sign-in ----------
  async function signIn(event) {
    event.preventDefault();
    const error = $('sign-in-error');
    error.hidden = true;
    const token = $('token').value.trim();
    if (!token) return;
    sessionStorage.setItem(TOKEN_KEY, token);
    try {
      await api('/sessions?page_size=1');
      $('token').value = '';
      showSignedIn(true);
      route();
    } catch (e) {
      sessionStorage.removeItem(TOKEN_KEY);
      error.textContent = e instanceof AuthError ? e.message : `The server did not answer (${e.message}).`;
      error.hidden = false;
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    showSignedIn(false);
    if (message) {
      $('sign-in-error').textContent = message;
      $('sign-in-error').hidden = false;
    }
  }

  function showSignedIn(signedIn) {
    $('sign-in').hidden = signedIn;
    $('tabs').hidden = !signedIn;
    $('sign-out').hidden = !signedIn;
    if (!signedIn) {
      document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
      clearInterval(timer);
      timer = null;
    }
  }

  // ---------- routing: #syncs, #devices, #device/<id>/<date>, #activity ----------
  const views = {
    syncs: { show: () => refreshSyncs(), refresh: () => refreshSyncs() },
    devices: { show: () => refreshDevices(), refresh: () => refreshDevices() },
    device: { show: (args) => showDay(args[0], args[1]), refresh: null },
    activity: { show: () => refreshActivity(), refresh: () => refreshAudit() },
  };

  function route() {
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      showSignedIn(false);
      return;
    }
    const [name, ...args] = (location.hash.slice(1) || 'syncs').split('/').map(decodeURIComponent);
    const view = views[name] ? name : 'syncs';
    document.querySelectorAll('.view').forEach((v) => { v.hidden = true; });
    $(view === 'device' ? 'view-day' : `view-${view}`).hidden = false;
    document.querySelectorAll('#tabs a').forEach((a) => a.classList.toggle('active', a.dataset.view === (view === 'device' ? 'devices' : view)));
    clearInterval(timer);
    run(views[view].show(args));
    if (views[view].refresh) {
      timer = setInterval(() => { if (!document.hidden) run(views[view].refresh()); }, config.refresh_seconds * 1000);
    }
  }

  function run(pending) {
    Promise.resolve(pending).catch((e) => {
      if (e instanceof AuthError) signOut(e.message);
      else console.warn('dashboard:', e.message);
    });
  }

  // ---------- syncs ----------
  async function refreshSyncs() {
    const status = $('sync-status').value;
    const page = await api(`/sessions?page_size=100${status ? `&status=${status}` : ''}`);
    const body = $('syncs-table').tBodies[0];
    body.replaceChildren(...page.items.map((s) => el('tr', {
      class: `clickable${s.sync_id === selectedSync ? ' selected' : ''}`,
      'data-sync-id': s.sync_id,
      onclick: () => { selectedSync = s.sync_id; run(refreshSyncs()); },
    },
    el('td', { class: 'mono' }, s.sync_id),
    el('td', {}, s.device_id),
    el('td', {}, s.user_name),
    el('td', {}, statusBadge(s.sync_status)),
    el('td', {}, progress(s.received_parts, s.total_parts)),
    el('td', { title: fmtTime(instant(s.updated_at)) }, ago(instant(s.updated_at))))));
    $('syncs-empty').hidden = page.items.length > 0;
    $('syncs-updated').textContent = `${fmtNumber(page.total)} syncs · updated ${new Date().toLocaleTimeString()}`;
    if (selectedSync) await showSync(selectedSync);
  }

  async function showSync(syncId) {
    const [session, audit] = await Promise.all([
      api(`/sessions/${encodeURIComponent(syncId)}`),
      api(`/audit?sync_id=${encodeURIComponent(syncId)}&limit=200`),
    ]);
    const detail = $('sync-detail');
    detail.replaceChildren(
      el('div', { class: 'toolbar' },
        el('h3', {}, 'Sync ', el('span', { class: 'mono' }, session.sync_id)),
        statusBadge(session.sync_status),
        el('button', { type: 'button', onclick: () => { selectedSync = null; detail.hidden = true; run(refreshSyncs()); } }, 'Close')),
      el('p', {}, `Device ${session.device_id}, user ${session.user_name}: ${session.received_parts.length} of ${session.total_parts} parts, `,
        `${fmtNumber(session.records_received)} records. Started ${fmtTime(instant(session.created_at))}`,
        session.completed_at ? `, completed ${fmtTime(instant(session.completed_at))}.` : '.',
        session.missing_parts.length && session.sync_status === 'open' ? ` Missing: ${session.missing_parts.join(', ')}.` : ''),
      el('div', { class: 'detail-grid' },
        el('div', {}, el('h3', {}, 'Parts'),
          el('div', { class: 'table-wrap' }, el('table', { id: 'parts-table' },
            el('thead', {}, el('tr', {}, el('th', {}, 'Part'), el('th', {}, 'Records'), el('th', {}, 'Received'), el('th', { class: 'hide-narrow' }, 'Checksum'))),
            el('tbody', {}, session.parts.map((p) => el('tr', {},
              el('td', {}, p.part_number), el('td', {}, p.record_count), el('td', {}, fmtTime(instant(p.received_at))),
              el('td', { class: 'mono hide-narrow', title: p.checksum }, `${p.checksum.slice(0, 19)}…`))))))),
        el('div', {}, el('h3', {}, 'Audit'),
          el('div', { class: 'table-wrap' }, el('table', { id: 'sync-audit-table' },
            el('thead', {}, el('tr', {}, el('th', {}, 'At'), el('th', {}, 'Outcome'), el('th', {}, 'Part'), el('th', {}, 'Reason'))),
            el('tbody', {}, audit.items.map((a) => el('tr', {},
              el('td', {}, fmtTime(instant(a.at))), el('td', {}, statusBadge(a.outcome)), el('td', {}, a.part_number ?? ''),
              el('td', { class: 'reason' }, a.reason ?? '')))))))));
    detail.hidden = false;
  }

  // ---------- devices ----------
  async function refreshDevices() {
    const page = await api('/devices?page_size=500');
    $('devices-table').tBodies[0].replaceChildren(...page.items.map((d) => el('tr', {
      class: 'clickable', 'data-device-id': d.device_id, onclick: () => { location.hash = `#device/${encodeURIComponent(d.device_id)}`; },
    },
    el('td', {}, el('a', { href: `#device/${encodeURIComponent(d.device_id)}` }, d.device_id)),
    el('td', { class: 'mono' }, d.last_position
      ? `${d.last_position.latitude.toFixed(5)}, ${d.last_position.longitude.toFixed(5)} · ${fmtTime(new Date(d.last_position.timestamp))}` : '—'),
    el('td', {}, d.last_sync ? [statusBadge(d.last_sync.sync_status), ' ', ago(instant(d.last_sync.updated_at))] : '—'),
    el('td', {}, fmtNumber(d.record_counts?.location)),
    el('td', {}, fmtNumber(d.record_counts?.driving)))));
    $('devices-empty').hidden = page.items.length > 0;
    $('devices-updated').textContent = `${fmtNumber(page.total)} devices · updated ${new Date().toLocaleTimeString()}`;
  }

  // ---------- a device's day ----------
  const DAY_MS = 86400000;

  async function recordsOfDay(deviceId, type, date) {
    // Log dates follow the server's time zone: ask for a window wide enough for any zone, keep the date's.
    const start = Date.parse(`${date}T00:00:00Z`);
    const base = `/devices/${encodeURIComponent(deviceId)}/records?type=${type}&from=${start - DAY_MS}&to=${start + 2 * DAY_MS}&limit=5000`;
    const records = [];
    let cursor = null;
    for (let page = 0; page < 20; page++) {
      const result = await api(cursor ? `${base}&after=${encodeURIComponent(cursor)}` : base);
      records.push(...result.items.filter((r) => r.log_date === date));
      cursor = result.next_cursor;
      if (!cursor) break;
    }
    return records;
  }

  async function showDay(deviceId, date) {
    $('day-title').textContent = `Device ${deviceId}`;
    const daily = await api(`/stats/daily?device_id=${encodeURIComponent(deviceId)}`);
    const dates = [...new Set(daily.map((d) => d.date))].sort().reverse();
    const picker = $('day-date');
    picker.replaceChildren(...dates.map((d) => el('option', { value: d }, d)));
    picker.onchange = () => { location.hash = `#device/${encodeURIComponent(deviceId)}/${picker.value}`; };
    const day = date && dates.includes(date) ? date : dates[0];
    if (!day) {
      $('track').replaceChildren(el('p', { class: 'empty' }, 'No records for this device yet.'));
      $('events').replaceChildren();
      $('exports').replaceChildren();
      $('track-caption').textContent = '';
      return;
    }
    picker.value = day;
    const [locations, driving] = await Promise.all([recordsOfDay(deviceId, 'location', day), recordsOfDay(deviceId, 'driving', day)]);
    drawTrack($('track'), locations, driving);
    $('track-caption').textContent = `${day}: ${fmtNumber(locations.length)} positions, ${fmtNumber(driving.length)} driving events` +
      (locations.length ? `, ${fmtClock(locations[0].timestamp)}–${fmtClock(locations[locations.length - 1].timestamp)}` : '');
    $('events').replaceChildren(...driving.map((r) => el('li', {}, `${fmtClock(r.timestamp)} `, el('strong', {}, r.record.event_type ?? 'event'),
      r.record.speed !== undefined ? ` · ${r.record.speed} km/h` : '')));
    if (!driving.length) $('events').append(el('li', { class: 'empty' }, 'none'));

    const all = [...locations, ...driving].map((r) => r.timestamp);
    const from = Math.min(...all);
    const to = Math.max(...all) + 1;
    const links = [];
    for (const type of ['location', 'driving']) {
      for (const format of ['csv', 'geojson', 'gpx']) {
        const path = `/devices/${encodeURIComponent(deviceId)}/records?type=${type}&format=${format}&from=${from}&to=${to}`;
        const name = `${deviceId}-${type}-${day}.${format}`;
        links.push(el('li', {}, el('a', {
          href: API + path, download: name, 'data-format': format,
          onclick: (e) => { e.preventDefault(); run(download(path, name)); },
        }, `${type === 'location' ? 'Positions' : 'Driving'} ${format.toUpperCase()}`)));
      }
    }
    $('exports').replaceChildren(...links);
  }

  // Web Mercator in world units [0, 1].
  const mercX = (lon) => (lon + 180) / 360;
  const mercY = (lat) => {
    const s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  };

  function pointOf(record) {
    const r = record.record;
    if (typeof r.latitude === 'number' && typeof r.longitude === 'number') return [r.latitude, r.longitude];
    if (r.location && typeof r.location.latitude === 'number') return [r.location.latitude, r.location.longitude];
    return null;
  }

  function drawTrack(container, locations, driving) {
    const W = 800;
    const H = 600;
    const track = locations.map((r) => ({ t: r.timestamp, p: pointOf(r) })).filter((x) => x.p);
    const events = driving.map((r) => ({ t: r.timestamp, p: pointOf(r) ?? nearest(track, r.timestamp), name: r.record.event_type ?? 'event' })).filter((x) => x.p);
    const points = [...track.map((x) => x.p), ...events.map((x) => x.p)];
    if (!points.length) {
      container.replaceChildren(el('p', { class: 'empty' }, 'No positions on this day.'));
      return;
    }
    const xs = points.map((p) => mercX(p[1]));
    const ys = points.map((p) => mercY(p[0]));
    const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const span = Math.max(maxX - minX, (maxY - minY) * (W / H), 1e-7);
    let scale = (W * 0.85) / span; // pixels per world unit
    const tiles = config.tile_url;
    if (tiles) scale = 256 * 2 ** Math.max(0, Math.min(18, Math.floor(Math.log2(scale / 256))));
    const cx = (minX + maxX) / 2;
    const cy = (minY + maxY) / 2;
    const px = (p) => [(mercX(p[1]) - cx) * scale + W / 2, (mercY(p[0]) - cy) * scale + H / 2];

    const layers = [];
    if (tiles) {
      const z = Math.round(Math.log2(scale / 256));
      const n = 2 ** z;
      const x0 = Math.floor(((cx * scale) - W / 2) / 256);
      const y0 = Math.floor(((cy * scale) - H / 2) / 256);
      for (let tx = x0; tx <= x0 + Math.ceil(W / 256) + 1; tx++) {
        for (let ty = Math.max(0, y0); ty <= Math.min(n - 1, y0 + Math.ceil(H / 256) + 1); ty++) {
          const wrapped = ((tx % n) + n) % n;
          const href = tiles.replace('{z}', z).replace('{x}', wrapped).replace('{y}', ty);
          layers.push(svg('image', { href, x: tx * 256 - (cx * scale - W / 2), y: ty * 256 - (cy * scale - H / 2), width: 256, height: 256 }));
        }
      }
    } else {
      const grid = [];
      for (let g = 0; g <= W; g += 50) grid.push(svg('line', { x1: g, y1: 0, x2: g, y2: H, stroke: '#dfe6ee' }));
      for (let g = 0; g <= H; g += 50) grid.push(svg('line', { x1: 0, y1: g, x2: W, y2: g, stroke: '#dfe6ee' }));
      layers.push(svg('g', { class: 'grid' }, grid));
    }

    const line = track.map((x) => px(x.p).map((v) => v.toFixed(1)).join(',')).join(' ');
    layers.push(svg('polyline', { class: 'track-line', points: line, fill: 'none', stroke: '#ffffff', 'stroke-width': 7, 'stroke-linejoin': 'round', 'stroke-linecap': 'round', opacity: 0.8 }));
    layers.push(svg('polyline', { class: 'track-line', points: line, fill: 'none', stroke: '#1f6feb', 'stroke-width': 3.5, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }));
    if (track.length) {
      const [sx, sy] = px(track[0].p);
      const [ex, ey] = px(track[track.length - 1].p);
      layers.push(svg('circle', { cx: sx, cy: sy, r: 8, fill: '#1a7f37', stroke: '#fff', 'stroke-width': 2 }, svg('title', {}, `start ${fmtClock(track[0].t)}`)));
      layers.push(svg('circle', { cx: ex, cy: ey, r: 8, fill: '#cf222e', stroke: '#fff', 'stroke-width': 2 }, svg('title', {}, `end ${fmtClock(track[track.length - 1].t)}`)));
    }
    for (const e of events) {
      const [x, y] = px(e.p);
      layers.push(svg('g', { class: 'event' },
        svg('rect', { x: x - 6, y: y - 6, width: 12, height: 12, transform: `rotate(45 ${x} ${y})`, fill: '#fb8f44', stroke: '#fff', 'stroke-width': 2 }),
        svg('title', {}, `${e.name} ${fmtClock(e.t)}`)));
    }
    layers.push(scaleBar(W, H, scale, (minY + maxY) / 2));
    if (tiles && config.tile_attribution) {
      layers.push(svg('text', { x: W - 6, y: H - 6, 'text-anchor': 'end', 'font-size': 12, fill: '#333' }, config.tile_attribution));
    }
    container.replaceChildren(svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'xMidYMid meet' }, layers));
  }

  function nearest(track, t) {
    let best = null;
    for (const x of track) if (!best || Math.abs(x.t - t) < Math.abs(best.t - t)) best = x;
    return best ? best.p : null;
  }

  function scaleBar(W, H, scale, worldY) {
    const lat = (Math.atan(Math.sinh(Math.PI * (1 - 2 * worldY))) * 180) / Math.PI;
    const metresPerPixel = (40075016.686 * Math.cos((lat * Math.PI) / 180)) / scale;
    const target = metresPerPixel * 120;
    const step = 10 ** Math.floor(Math.log10(target));
    const metres = [1, 2, 5, 10].map((k) => k * step).filter((m) => m <= target).pop() ?? step;
    const width = metres / metresPerPixel;
    const label = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
    return svg('g', { class: 'scale' },
      svg('rect', { x: 10, y: H - 30, width: width + 12, height: 22, fill: '#ffffffcc', rx: 3 }),
      svg('line', { x1: 16, y1: H - 14, x2: 16 + width, y2: H - 14, stroke: '#333', 'stroke-width': 2 }),
      svg('text', { x: 16, y: H - 18, 'font-size': 11, fill: '#333' }, label));
  }

  // ---------- activity: daily counts and the audit ----------
  async function refreshActivity() {
    const [daily] = await Promise.all([api('/stats/daily'), refreshAudit()]);
    drawDaily($('daily-chart'), daily);
  }

  function drawDaily(container, daily) {
    const dates = [...new Set(daily.map((d) => d.date))].sort().slice(-30);
    if (!dates.length) {
      container.replaceChildren(el('p', { class: 'empty' }, 'No records yet.'));
      return;
    }
    const count = (date, type) => daily.find((d) => d.date === date && d.type === type)?.records ?? 0;
    const max = Math.max(...dates.map((d) => count(d, 'location') + count(d, 'driving')), 1);
    const W = 800;
    const H = 260;
    const left = 48;
    const bottom = 40;
    const band = (W - left - 10) / dates.length;
    const y = (v) => H - bottom - (v / max) * (H - bottom - 14);
    const parts = [svg('line', { x1: left, y1: H - bottom, x2: W - 10, y2: H - bottom, stroke: '#999' })];
    for (const tick of [0, 0.5, 1]) {
      parts.push(svg('text', { x: left - 6, y: y(max * tick) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5f6b7a' }, fmtNumber(Math.round(max * tick))));
      parts.push(svg('line', { x1: left, y1: y(max * tick), x2: W - 10, y2: y(max * tick), stroke: '#eef1f4' }));
    }
    dates.forEach((date, i) => {
      const w = Math.min(band * 0.7, 56);
      const x = left + i * band + (band - w) / 2;
      const loc = count(date, 'location');
      const drv = count(date, 'driving');
      parts.push(svg('rect', { class: 'bar-location', x, y: y(loc), width: w, height: H - bottom - y(loc), fill: '#1f6feb' }, svg('title', {}, `${date}: ${loc} positions`)));
      parts.push(svg('rect', { class: 'bar-driving', x, y: y(loc + drv), width: w, height: y(loc) - y(loc + drv), fill: '#fb8f44' }, svg('title', {}, `${date}: ${drv} driving events`)));
      if (dates.length <= 10 || i % Math.ceil(dates.length / 10) === 0) {
        parts.push(svg('text', { x: x + w / 2, y: H - bottom + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#5f6b7a' }, date.slice(5)));
      }
    });
    container.replaceChildren(
      svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'Records stored per day' }, parts),
      el('div', { class: 'legend' },
        el('span', {}, el('span', { class: 'swatch location' }), 'positions'),
        el('span', {}, el('span', { class: 'swatch driving' }), 'driving events')));
  }

  async function refreshAudit() {
    const page = await api('/audit?limit=50');
    $('audit-table').tBodies[0].replaceChildren(...page.items.map((a) => el('tr', {},
      el('td', {}, fmtTime(instant(a.at))),
      el('td', {}, statusBadge(a.outcome)),
      el('td', {}, a.status || ''),
      el('td', {}, a.device_id ?? ''),
      el('td', { class: 'mono' }, a.sync_id ?? ''),
      el('td', {}, a.part_number ?? ''),
      el('td', {}, a.token_name ?? ''),
      el('td', { class: 'reason' }, a.reason ?? ''))));
    $('audit-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
  }

  // ---------- start ----------
  async function start() {
    try {
      const response = await fetch('/dashboard/config.json');
      if (response.ok) config = { ...config, ...(await response.json()) };
    } catch (e) {
      console.warn('dashboard: no config', e.message);
    }
    $('sign-in-form').addEventListener('submit', (e) => run(signIn(e)));
    $('sign-out').addEventListener('click', () => signOut());
    $('sync-status').addEventListener('change', () => run(refreshSyncs()));
    window.addEventListener('hashchange', route);
    if (sessionStorage.getItem(TOKEN_KEY)) {
      showSignedIn(true);
      route();
    } else {
      showSignedIn(false);
    }
  }

  start();
})();
