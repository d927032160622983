// Recent stage changes, read from an Atom feed (docs/alerts.md, "Feeds"): the board's and the negotiation page's list.
// The feed's entry title is "Title: From → To on YYYY-MM-DD" and its category the cause; shown in the reader's language.
import { el, replace } from './dom.js';
import { stageLabel } from './stages.js';
import { t, formatDay } from './reader.js';

const TITLE = /^(.*): (\S+) → (\S+) on (\d{4}-\d{2}-\d{2})$/;

/** Adds <link rel="alternate" type="application/atom+xml"> for feed discovery (readers and browser extensions read the DOM). */
export function linkFeed(href, title) {
  document.head.append(el('link', { rel: 'alternate', type: 'application/atom+xml', href, title }));
}

/** Fills list with the latest changes of the feed at feedUrl (withTitle: name the negotiation, linked); status says why not. */
export async function showRecentChanges(list, feedUrl, { limit = 5, withTitle = false } = {}) {
  let entries;
  try {
    const response = await fetch(feedUrl, { headers: { Accept: 'application/atom+xml' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const xml = new DOMParser().parseFromString(await response.text(), 'application/xml');
    entries = [...xml.getElementsByTagName('entry')].slice(0, limit);
  } catch (e) {
    replace(list, el('li', { class: 'muted' }, t('feed.failed', { error: e.message })));
    return;
  }
  if (entries.length === 0) { replace(list, el('li', { class: 'muted' }, t('feed.none'))); return; }
  replace(list, entries.map((entry) => {
    const text = entry.getElementsByTagName('title')[0]?.textContent || '';
    const href = entry.getElementsByTagName('link')[0]?.getAttribute('href') || '';
    const cause = entry.getElementsByTagName('category')[0]?.getAttribute('term') || '';
    const m = TITLE.exec(text);
    if (!m) return el('li', {}, text);
    const [, title, from, to, on] = m;
    return el('li', { dataset: { cause } },
      el('time', { datetime: on }, formatDay(on)), ' — ',
      withTitle ? [el('a', { href: new URL(href, location.href).pathname }, title), ': '] : null,
      from === '(none)' ? '' : `${stageLabel(from)} → `, stageLabel(to),
      cause ? el('span', { class: 'muted' }, ` (${t(`feed.cause.${cause}`, {}, cause)})`) : null);
  }));
}
