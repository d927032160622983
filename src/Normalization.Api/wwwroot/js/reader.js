// The reader: language (?lang=, else the browser's, else English), time zone (?tz=, else the browser's) and the deployment's
// settings (GET /api/site: read-only or not). Every page imports this module first; it finishes loading before the page runs.
import { messages as en } from './i18n/en.js';
import { messages as fr } from './i18n/fr.js';
import { setZone } from './dates.js';
import { setReaderZone } from './api.js';

const CATALOGS = { en, fr };
export const LANGUAGES = Object.keys(CATALOGS);
const params = new URLSearchParams(location.search);

function chooseLanguage() {
  const asked = params.get('lang');
  if (asked && CATALOGS[asked]) return asked;
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const primary = String(l).toLowerCase().split('-')[0];
    if (CATALOGS[primary]) return primary;
  }
  return 'en';
}

function validZone(tz) {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
}

export const lang = chooseLanguage();
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
/** The reader's zone: ?tz= when the browser knows it, else the browser's own. Sent to the API as tz= (its "today"). */
export const zone = params.get('tz') && validZone(params.get('tz')) ? params.get('tz') : browserZone;
setZone(zone);
setReaderZone(zone);

/** The deployment: { mode, timeZone, whatIfNeedsKey, languages }; read-write when the call fails (an older server). */
export const site = await fetch('/api/site', { headers: { Accept: 'application/json' } })
  .then((r) => (r.ok ? r.json() : null)).catch(() => null) || { mode: 'ReadWrite', timeZone: 'UTC', whatIfNeedsKey: true };
export const readOnly = site.mode === 'ReadOnly';

/** The message for key in the reader's language ({name} placeholders filled from vars), else English, else the fallback. */
export function t(key, vars = {}, fallback = key) {
  const text = CATALOGS[lang][key] ?? en[key] ?? fallback;
  return String(text).replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? `{${k}}`));
}

const dayFormat = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
const shortDayFormat = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' });
const shortMonthFormat = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', timeZone: 'UTC' });
const numberFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
const countFormat = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
const plurals = new Intl.PluralRules(lang);

/** A domain day (YYYY-MM-DD) in words, in the reader's language (a calendar date: no zone shift). */
export function formatDay(iso) {
  const [y, m, d] = String(iso || '').split('-').map(Number);
  return d ? dayFormat.format(Date.UTC(y, m - 1, d)) : String(iso || '');
}

/**
 * A domain date at its own precision, in the reader's language: a day "20 mars 2025" / "Mar 20, 2025", a month
 * "mars 2025", a year "2024" (a month or a year is never shown as a day it does not name).
 */
export function formatDate(iso) {
  const text = String(iso || '');
  const [y, m, d] = text.split('-').map(Number);
  if (!y) return text;
  if (d) return shortDayFormat.format(Date.UTC(y, m - 1, d));
  if (m) return monthFormat.format(Date.UTC(y, m - 1, 1));
  return String(y);
}

/** A month tick of the chart's time axis ("Mar 2025", "mars 2025"). */
export const formatMonth = (ms) => shortMonthFormat.format(ms);

/** A number in the reader's language (one decimal at most). */
export const formatNumber = (n) => (typeof n === 'number' ? numberFormat.format(n) : '—');

/** A count in the reader's language ("10,000" / "10 000"). */
export const formatCount = (n) => (typeof n === 'number' ? countFormat.format(n) : '—');

/** The message `${key}.one|other|…` chosen by Intl.PluralRules for count ({count} filled, formatted). */
export function plural(key, count, vars = {}) {
  const form = plurals.select(count);
  const chosen = CATALOGS[lang][`${key}.${form}`] !== undefined || en[`${key}.${form}`] !== undefined ? `${key}.${form}` : `${key}.other`;
  return t(chosen, { ...vars, count: formatCount(count) });
}

/** An enum value of the API (Confirmed, Embassy, Positive…) in words; the value itself when the catalog has none. */
export const enumLabel = (value) => (value === undefined || value === null || value === '' ? '' : t(`enum.${value}`, {}, String(value)));

/** An event field's label (occurredOn → "Date"); the field's name when the catalog has none. */
export const fieldLabel = (name) => t(`field.${name}`, {}, name);

/** An event type's name in the reader's language (French: "Pourparlers tenus"); English keeps the catalog's name (TalksHeld). */
export const typeLabel = (type) => (type ? t(`type.${type}`, {}, type) : '');

/** An event family's name (the groups of the type list). */
export const familyLabel = (family) => t(`family.${family || 'Other'}`, {}, family || 'Other');

/**
 * A stage rule's explanation in the reader's language: the catalog's text for the rule id with the numbers of the API's
 * English description ({0}, {1}: the window in days, a count of offices) put back; the API's text when the rule is unknown.
 */
export function ruleText(rule, description) {
  const numbers = String(description || '').match(/\d+/g) || [];
  const key = `rule.${rule}`;
  if (lang === 'en' || !rule || CATALOGS[lang][key] === undefined) return description || '';
  return t(key, Object.fromEntries(numbers.map((n, i) => [String(i), formatCount(Number(n))])));
}

/** An API error ({path, code, message}) beside its field: the catalog's text for the code, else the API's message. */
// English keeps the API's own message (it names the limit or the value); other languages have a text per code.
export const errorText = (e) => (lang !== 'en' && e?.code && CATALOGS[lang][`error.${e.code}`] !== undefined ? t(`error.${e.code}`, e.vars || {}) : String(e?.message || ''));

/** An instant (ISO with Z) as the reader's wall-clock time with the zone's name, e.g. "3 avr. 2025, 04:30 (Asia/Kabul, UTC+4:30)". */
export function formatInstant(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso || '');
  const text = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(ms);
  return `${text} (${zoneLabel(ms)})`;
}

/** The zone's name and offset at an instant: "Asia/Kabul, UTC+4:30". */
export function zoneLabel(ms = Date.now()) {
  const offset = new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value.replace('GMT', 'UTC') || 'UTC';
  return `${zone}, ${offset === 'UTC' ? 'UTC+0' : offset}`;
}

const wallParts = (ms) => Object.fromEntries(new Intl.DateTimeFormat('en-US', {
  timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
}).formatToParts(ms).filter((p) => p.type !== 'literal').map((p) => [p.type, Number(p.value)]));
const offsetAt = (ms) => { const p = wallParts(ms); return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000; };

/** A wall-clock time in the reader's zone (YYYY-MM-DDTHH:MM[:SS], a datetime-local value) as an ISO instant with Z. */
export function wallToInstant(local) {
  if (!local) return '';
  const [d, tm = '00:00:00'] = local.split('T');
  const [y, mo, da] = d.split('-').map(Number);
  const [h, mi, s = 0] = tm.split(':').map(Number);
  const guess = Date.UTC(y, mo - 1, da, h, mi, s);
  let ms = guess - offsetAt(guess);
  ms = guess - offsetAt(ms);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** An ISO instant as the reader's wall-clock time, a datetime-local value (YYYY-MM-DDTHH:MM:SS). */
export function instantToWall(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const p = wallParts(ms);
  const two = (n) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** Translates the page's static text: data-i18n (text), data-i18n-label (aria-label); sets <html lang>. */
export function translatePage(root = document) {
  document.documentElement.lang = lang;
  // A key the reader's catalog lacks keeps the page's English and is marked data-i18n-missing (the browser tests look for it).
  const missing = (node, key) => { if (lang !== 'en') node.dataset.i18nMissing = key; };
  for (const node of root.querySelectorAll('[data-i18n]')) {
    const text = CATALOGS[lang][node.dataset.i18n];
    if (text) node.textContent = text; else missing(node, node.dataset.i18n);
  }
  for (const node of root.querySelectorAll('[data-i18n-label]')) {
    const text = CATALOGS[lang][node.dataset.i18nLabel];
    if (text) node.setAttribute('aria-label', text); else missing(node, node.dataset.i18nLabel);
  }
}

/** The language switch: links to the same view in each language (the address keeps the rest of the view). */
export function languageSwitch() {
  const nav = document.createElement('nav');
  nav.className = 'language-switch';
  nav.setAttribute('aria-label', t('language.switch'));
  for (const l of LANGUAGES) {
    const p = new URLSearchParams(location.search);
    p.set('lang', l);
    const a = document.createElement('a');
    a.href = `${location.pathname}?${p}`;
    a.lang = l;
    a.hreflang = l;
    a.textContent = l === 'fr' ? 'Français' : 'English';
    if (l === lang) a.setAttribute('aria-current', 'true');
    nav.append(a);
  }
  return nav;
}

translatePage();
