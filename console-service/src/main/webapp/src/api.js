// Calls to the four services through console-service's one origin: /api/<service>/<the service's own path>.
// Errors carry the service's own words ({"error", "detail"}) so pages can show them as written.

export const SERVICES = ['ingest', 'training', 'evaluation', 'inference'];

export function apiKey() {
  return localStorage.getItem('emotion.apiKey') || '';
}

export function setApiKey(key) {
  if (key) localStorage.setItem('emotion.apiKey', key); else localStorage.removeItem('emotion.apiKey');
}

export class ApiError extends Error {
  constructor(service, status, message) {
    super(message);
    this.service = service;
    this.status = status;
  }
}

function headers(extra = {}) {
  const h = { ...extra };
  if (apiKey()) h['X-API-Key'] = apiKey();
  return h;
}

async function failure(service, response) {
  let text = await response.text();
  let message = text;
  try {
    const json = JSON.parse(text);
    message = [json.error || json.title, json.detail || json.message].filter(Boolean).join(': ') || text;
  } catch (e) { /* not JSON: the text as it came */ }
  if (!message) message = `HTTP ${response.status}`;
  return new ApiError(service, response.status, `${service}-service: ${message}`);
}

/** fetch /api/<service><path>; JSON in and out unless `raw` (then the Response). */
export async function call(service, path, { method = 'GET', body, json, raw = false, accept } = {}) {
  const h = headers(accept ? { Accept: accept } : {});
  let payload = body;
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(`api/${service}${path}`, { method, headers: h, body: payload });
  } catch (e) {
    throw new ApiError(service, 0, `${service}-service: the console cannot be reached (${e.message})`);
  }
  if (!response.ok) throw await failure(service, response);
  if (raw) return response;
  if (response.status === 204) return null;
  return response.json();
}

/** Reads an NDJSON response line by line as it arrives; onRecord(obj) for each. */
export async function readNdjson(response, onRecord) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onRecord(JSON.parse(line));
    }
  }
  if (buffered.trim()) onRecord(JSON.parse(buffered));
}

/** Which services answer their readiness check: {ingest: 'up'|'down'|'starting', ...}. */
export async function serviceStates() {
  const states = {};
  await Promise.all(SERVICES.map(async (s) => {
    try {
      const r = await fetch(`api/${s}/q/health/live`);
      states[s] = r.ok ? 'up' : (r.status === 502 ? 'down' : 'starting');
    } catch (e) {
      states[s] = 'down';
    }
  }));
  return states;
}
