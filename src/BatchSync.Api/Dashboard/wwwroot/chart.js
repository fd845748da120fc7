// Records per day by type, as stacked SVG bars.

import { el, svg, fmtNumber } from './dom.js';

export function drawDaily(container, daily) {
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
