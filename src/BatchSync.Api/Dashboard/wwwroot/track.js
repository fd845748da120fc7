// A day's track in Web Mercator, as SVG: on map tiles when a tile server is configured, else on a grid with a scale.

import { el, svg, fmtClock } from './dom.js';

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

export function drawTrack(container, locations, driving, map) {
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
  const tiles = map.tile_url;
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
  if (tiles && map.tile_attribution) {
    layers.push(svg('text', { x: W - 6, y: H - 6, 'text-anchor': 'end', 'font-size': 12, fill: '#333' }, map.tile_attribution));
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
