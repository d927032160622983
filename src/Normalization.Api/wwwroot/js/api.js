// The page talks only to the public JSON API. Every call goes through here.

/** A failed API call: status, the ProblemDetails body and its field errors ([{path, code, message}]). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
  }
}

async function request(method, url, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = { detail: text }; }
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

const enc = encodeURIComponent;
// The reader's zone (reader.js) goes with every call whose answer depends on "today".
let readerZone = '';
export function setReaderZone(tz) { readerZone = tz; }
/** The reader's zone as a query parameter (`tz=…`, or '' when the page has none) for the URLs built outside this module. */
export function zoneParameter() { return readerZone ? `tz=${encodeURIComponent(readerZone)}` : ''; }
const query = (params) => {
  const q = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return q.length ? '?' + q.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&') : '';
};

export const api = {
  board: (params = {}) => request('GET', '/api/negotiations' + query({ pageSize: 200, ...params, tz: readerZone })),
  negotiation: (id) => request('GET', `/api/negotiations/${enc(id)}` + query({ tz: readerZone })),
  state: (id, asOf, knownAt) => request('GET', `/api/negotiations/${enc(id)}/state` + query({ asOf, knownAt, tz: readerZone })),
  stages: (id, knownAt) => request('GET', `/api/negotiations/${enc(id)}/stages` + query({ knownAt, tz: readerZone })),
  scenario: (id, name, asOf, knownAt) => request('GET', `/api/negotiations/${enc(id)}/scenarios/${enc(name)}` + query({ asOf, knownAt, tz: readerZone })),
  timeline: (id) => request('GET', `/api/negotiations/${enc(id)}/timeline?pageSize=500`),
  eventTypes: () => request('GET', '/api/event-types'),
  whatIf: (id, body, apiKey) => request('POST', `/api/negotiations/${enc(id)}/what-if` + query({ tz: readerZone }), body, apiKey ? { 'X-Api-Key': apiKey } : {}),
  postEvents: (id, events, apiKey) => request('POST', `/api/negotiations/${enc(id)}/events` + query({ tz: readerZone }), { events }, { 'X-Api-Key': apiKey }),
};
