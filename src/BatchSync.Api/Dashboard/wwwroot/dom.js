// Building the page from text: no innerHTML anywhere, since device ids and reasons come from clients.

const SVG_NS = 'http://www.w3.org/2000/svg';

export const $ = (id) => document.getElementById(id);

export function el(tag, attrs, ...children) {
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

export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const instant = (text) => text ? new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : text + 'Z') : null;
export const fmtTime = (date) => date ? date.toLocaleString() : '';
export const fmtClock = (ms) => new Date(ms).toLocaleTimeString();
export const fmtNumber = (n) => (n ?? 0).toLocaleString();

export function ago(date) {
  if (!date) return '';
  const seconds = Math.max(0, Math.round((Date.now() - date.getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

export const statusBadge = (status) => el('span', { class: `status ${status}` }, status);

export function progress(received, total) {
  const share = total > 0 ? Math.min(1, received / total) : 0;
  const bar = el('span');
  bar.style.width = `${Math.round(share * 100)}%`;
  return el('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': received },
    el('div', { class: 'bar' }, bar), el('span', { class: 'count' }, `${received}/${total}`));
}
