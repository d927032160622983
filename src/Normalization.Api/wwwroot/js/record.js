// The whole record on the page: the summary the chart draws (stage history, momentum and event counts per period),
// the timeline one page at a time with the filters applied by the API, and the downloads of what the filters select.
import { el, replace } from './dom.js';
import { t, formatCount, typeLabel, zone } from './reader.js';

const enc = encodeURIComponent;
export const PAGE_SIZE = 100;

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.detail || body.title || `HTTP ${response.status}`), { status: response.status, problem: body });
  return body;
}

/**
 * GET /api/negotiations/{id}/summary (the bucket is the API's choice: days, weeks or months by the span), with the reader's
 * zone: its `through` and stage bands end on the reader's today, as the state and the stages the page shows beside it.
 */
export const fetchSummary = (id, knownAt) =>
  getJson(`/api/negotiations/${enc(id)}/summary?tz=${enc(zone)}${knownAt ? `&knownAt=${enc(knownAt)}` : ''}`);

/** The query string of the timeline filters ({ type, actor }), empty ones left out. */
export function filterQuery(filters) {
  return Object.entries(filters).filter(([, v]) => v).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
}

/** One page of the timeline, filtered by the API; with knownAt (an instant), the record as it stood then. */
export const fetchTimelinePage = (id, page, filters, knownAt) =>
  getJson(`/api/negotiations/${enc(id)}/timeline?page=${page}&pageSize=${PAGE_SIZE}${filterQuery(filters) ? '&' + filterQuery(filters) : ''}${knownAt ? `&knownAt=${enc(knownAt)}` : ''}`);

/** The download links for the current filters and known-at instant: CSV (Excel dialect and plain), XLSX, and the CAMEO/PLOVER rows. */
export function renderDownloads(container, id, filters, knownAt) {
  const q = filterQuery(filters);
  const asKnown = knownAt ? `&knownAt=${enc(knownAt)}` : '';
  const timeline = (params) => `/api/negotiations/${enc(id)}/timeline?${params}${q ? '&' + q : ''}${asKnown}`;
  const cameo = (params) => `/api/negotiations/${enc(id)}/cameo?${params}${asKnown}`;
  const link = (href, text, file, hint) => el('a', { href, download: file, class: 'download', title: hint }, text);
  replace(container, t('download.label'),
    link(timeline('format=csv&dialect=excel'), t('download.csvExcel'), `${id}-timeline.csv`, t('download.csvExcelHint')), ' · ',
    link(timeline('format=csv'), t('download.csv'), `${id}-timeline.csv`, t('download.csvHint')), ' · ',
    link(timeline(`format=xlsx&tz=${enc(zone)}`), t('download.xlsx'), `${id}-timeline.xlsx`, t('download.xlsxHint')), ' · ',
    link(cameo('format=csv&dialect=excel'), t('download.cameo'), `${id}-cameo.csv`, t('download.cameoHint')),
    q ? el('span', { class: 'muted' }, t('download.filtered')) : '');
}

/** The pager below the timeline: where we are in the whole record, previous / next, first / last. */
export function renderPager(container, { page, total }, go) {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(page * PAGE_SIZE, total);
  const button = (label, target, disabled, id) => el('button', { type: 'button', id, disabled: disabled ? true : null, onclick: () => go(target) }, label);
  replace(container,
    button(t('pager.first'), 1, page <= 1, 'timeline-first'), ' ',
    button(t('pager.previous'), page - 1, page <= 1, 'timeline-prev'), ' ',
    el('span', { id: 'timeline-position', 'aria-live': 'polite' }, t('pager.position', {
      first: formatCount(first), last: formatCount(last), total: formatCount(total), page: formatCount(page), pages: formatCount(pages),
    })), ' ',
    button(t('pager.next'), page + 1, page >= pages, 'timeline-next'), ' ',
    button(t('pager.last'), pages, page >= pages, 'timeline-last'));
  container.setAttribute('aria-label', t('pager.label'));
  container.dataset.page = String(page);
  container.dataset.pages = String(pages);
}

/** The filter choices of a server-filtered timeline: every catalog type, every party and mediator as actor. */
export function fillServerFilters(catalog, negotiation) {
  const typeSelect = document.getElementById('timeline-type');
  const partySelect = document.getElementById('timeline-party');
  for (const name of (catalog?.types || []).map((x) => x.name).sort((a, b) => typeLabel(a).localeCompare(typeLabel(b)))) typeSelect.append(el('option', { value: name }, typeLabel(name)));
  const codes = [...new Set([...(negotiation.parties || []), ...(negotiation.mediators || [])].map((p) => p.code))].sort();
  for (const c of codes) partySelect.append(el('option', { value: c }, c));
}
