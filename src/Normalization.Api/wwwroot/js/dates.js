// Dates as the API writes them: YYYY-MM-DD, or YYYY-MM / YYYY meaning "by the end of that period".
const DAY = 86400000;

/** Milliseconds (UTC) of the end of the period a domain date names. */
export function dateValue(text) {
  if (!text) return NaN;
  const [y, m, d] = String(text).split('-').map(Number);
  if (d) return Date.UTC(y, m - 1, d);
  if (m) return Date.UTC(y, m, 0);          // last day of that month
  return Date.UTC(y, 11, 31);               // last day of that year
}

export function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

// "Today" is the reader's calendar day (reader.js sets the zone: ?tz=, else the browser's), as the API's tz= makes it.
let zone = 'UTC';
export function setZone(tz) { zone = tz; }
export function todayIso() { return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now()); }
export function addDays(ms, days) { return ms + days * DAY; }
export const DAY_MS = DAY;
export function isIsoDay(text) { return /^\d{4}-\d{2}-\d{2}$/.test(text || '') && !Number.isNaN(dateValue(text)); }
