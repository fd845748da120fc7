// The views: syncs, devices, a device's day, activity. Each fetches what it shows and redraws it whole.

import { $, el, instant, fmtTime, fmtClock, fmtNumber, ago, statusBadge, progress } from './dom.js';
import { API, api, download, run } from './api.js';
import { drawTrack } from './track.js';
import { drawDaily } from './chart.js';

let selectedSync = null;
let map = { tile_url: null, tile_attribution: null };

/** The tile server's settings, from the server's config. */
export function useMap(settings) {
  map = settings;
}

// ---------- syncs ----------
export async function refreshSyncs() {
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
export async function refreshDevices() {
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

export async function showDay(deviceId, date) {
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
  drawTrack($('track'), locations, driving, map);
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


// ---------- activity: daily counts and the audit ----------
export async function refreshActivity() {
  const [daily] = await Promise.all([api('/stats/daily'), refreshAudit()]);
  drawDaily($('daily-chart'), daily);
}

export async function refreshAudit() {
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
