// The timeline: events in domain order, the date at its precision, sources as links with their quotes (and the original-
// language quote beside the translation), confidence, status; the rows of the page the API returned (it applies the filters).
import { el, replace } from './dom.js';
import { t, formatNumber, formatDate, enumLabel, typeLabel, lang } from './reader.js';

/** A domain date as a <time> in the reader's language at its own precision; datetime keeps the date as written. */
export const dateTime = (iso) => (iso ? el('time', { datetime: iso }, formatDate(iso)) : '');

const languageNames = (() => { try { return new Intl.DisplayNames([lang], { type: 'language' }); } catch { return null; } })();
/** A language tag's name in the reader's language ("fr" → "French" / "français"); the tag when Intl does not know it. */
export function languageName(tag) {
  try { return languageNames?.of(tag) || tag; } catch { return tag; }
}

/**
 * A source in the timeline: the publisher (a link when it has a URL), then its quote and, beside it, the quote in the
 * original language with lang set to originalLanguage (screen readers switch voice). Quotes are the record's text: not translated.
 */
export function sourceView(s) {
  const name = s.url && /^https?:\/\//.test(s.url) ? el('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank', 'data-user': '' }, s.publisher || s.url)
    : el('span', { 'data-user': '' }, s.publisher || '');
  if (!s.quote && !s.originalQuote) return name;
  return el('span', { class: 'source' }, name,
    s.quote ? el('span', { class: 'source-quote' }, ' ', t('quote.translated'), ' ', el('q', { 'data-user': '', lang: s.originalQuote ? 'en' : null }, s.quote)) : '',
    s.originalQuote ? el('span', { class: 'source-original' }, ' ', t('quote.original', { language: languageName(s.originalLanguage) }), ' ',
      el('q', { class: 'original-quote', lang: s.originalLanguage || null, 'data-user': '' }, s.originalQuote)) : '');
}

/** Renders the rows; `removed` is the set of eventIds a what-if leaves out; onRemove(eventId) toggles one. */
export function renderTimeline(items, { removed, onRemove }) {
  const type = document.getElementById('timeline-type').value;
  const party = document.getElementById('timeline-party').value;
  const rows = items.filter((i) => (!type || i.type === type) && (!party || i.actor === party || i.target === party));
  replace(document.querySelector('#timeline tbody'), rows.map((i) => {
    const isRemoved = removed.has(i.eventId);
    return el('tr', { id: `ev-${i.eventId}`, class: `${i.status === 'retracted' ? 'retracted' : ''}${isRemoved ? ' removed-in-whatif' : ''}`, tabindex: '-1', dataset: { eventId: i.eventId } },
      el('td', { class: 'date', 'data-label': t('tcol.date') }, dateTime(i.occurredOn)),
      el('td', { 'data-label': t('tcol.type') }, typeLabel(i.type), i.note ? el('div', { class: 'muted note', title: i.note, 'data-user': '' }, i.note.length > 100 ? i.note.slice(0, 97) + '…' : i.note) : null),
      el('td', { 'data-label': t('tcol.parties') }, i.actor, i.target ? ` → ${i.target}` : ''),
      el('td', { 'data-label': t('tcol.weight') }, formatNumber(i.goldstein)),
      el('td', { 'data-label': t('tcol.confidence') }, enumLabel(i.confidence)),
      el('td', { 'data-label': t('tcol.status') }, el('span', { class: 'pill' }, t(`status.${i.status}`, {}, i.status)),
        i.retractedBy ? t('timeline.retracted') : '', i.correctedBy ? t('timeline.corrected') : ''),
      el('td', { 'data-label': t('tcol.sources') }, (i.sources || []).flatMap((s, n) => [n ? '; ' : '', sourceView(s)])),
      el('td', { 'data-label': t('tcol.whatif') }, i.status === 'active'
        ? el('button', { type: 'button', class: 'link', 'aria-pressed': isRemoved ? 'true' : 'false', onclick: () => onRemove(i.eventId) },
          isRemoved ? t('timeline.keep') : t('timeline.remove'), el('span', { class: 'visually-hidden' }, t('timeline.inWhatIf', { type: typeLabel(i.type), date: formatDate(i.occurredOn) })))
        : ''));
  }));
}

/** Scrolls to an event's row, highlights it and moves focus there. */
export function followEvent(eventId) {
  const row = document.getElementById(`ev-${eventId}`);
  if (!row) return;
  document.querySelectorAll('#timeline tr.highlight').forEach((r) => r.classList.remove('highlight'));
  row.classList.add('highlight');
  row.scrollIntoView({ block: 'center' });
  row.focus({ preventScroll: true });
}
