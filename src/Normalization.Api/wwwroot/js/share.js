// The address holds the whole view, so a link shares it: asOf, knownAt (an instant, Z), zoomFrom/zoomTo, the timeline's
// type/party filters, and a what-if — inline (whatIf=, base64url of {add, remove, projectTo}) or a saved scenario (scenario=).
// lang and tz stay as the reader set them.

const b64url = {
  encode: (text) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  decode: (text) => new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))),
};

/** The view the address names (absent parts are null). A what-if that cannot be read is ignored, never fatal. */
export function readView(search = location.search) {
  const p = new URLSearchParams(search);
  let whatIf = null;
  if (p.get('whatIf')) {
    try {
      const w = JSON.parse(b64url.decode(p.get('whatIf')));
      whatIf = { add: Array.isArray(w.add) ? w.add : [], remove: Array.isArray(w.remove) ? w.remove : [], projectTo: w.projectTo || null };
    } catch { whatIf = null; }
  }
  return {
    asOf: p.get('asOf'), knownAt: p.get('knownAt'), zoomFrom: p.get('zoomFrom'), zoomTo: p.get('zoomTo'),
    type: p.get('type'), party: p.get('party'), whatIf, scenario: p.get('scenario'),
  };
}

/** Writes the view into the address (replaceState: no history entry per slider step). */
export function writeView(view) {
  const p = new URLSearchParams(location.search);
  const set = (k, v) => (v ? p.set(k, v) : p.delete(k));
  set('asOf', view.asOf);
  set('knownAt', view.knownAt);
  set('zoomFrom', view.zoomFrom);
  set('zoomTo', view.zoomTo);
  set('type', view.type);
  set('party', view.party);
  const w = view.whatIf;
  set('whatIf', w && (w.add.length || w.remove.length) ? b64url.encode(JSON.stringify({ add: w.add, remove: w.remove, projectTo: w.projectTo || undefined })) : '');
  set('scenario', view.scenario);
  history.replaceState(null, '', `${location.pathname}?${p}`);
}
