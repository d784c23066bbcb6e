// Studies: the ingested studies (participants, faces per split, label sources, detectors), and a new study from
// uploaded videos + iMotions/AFFDEX CSVs (several at once, drag and drop), each ingest job followed live (SSE).
import { call } from '../api.js';
import { clear, errorBox, h, put, table } from '../dom.js';

const VIDEO = /\.(mp4|avi|mov|mkv|webm|m4v)$/i;
const LABELS = /\.(csv|txt)$/i;

/** Pairs files by base name: p01.mp4 + p01.csv -> {p01: {video, labels}}. */
export function pairFiles(files) {
  const pairs = new Map();
  for (const f of files) {
    const base = f.name.replace(/\.[^.]+$/, '');
    const entry = pairs.get(base) || {};
    if (VIDEO.test(f.name)) entry.video = f; else if (LABELS.test(f.name)) entry.labels = f; else continue;
    pairs.set(base, entry);
  }
  return new Map([...pairs.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** 3:1:1 by participant in name order (train, train, train, val, test, ...); editable before upload. */
function defaultSplit(i) {
  return ['train', 'train', 'train', 'val', 'test'][i % 5];
}

export async function studiesPage(main, [studyId]) {
  const list = h('section', { class: 'panel', id: 'study-list' }, h('h2', {}, 'Studies'));
  const detail = h('section', { class: 'panel', id: 'study-detail' });
  const upload = uploadPanel(() => loadList(list));
  main.append(h('div', { class: 'grid' }, list, upload), detail);
  await loadList(list);
  if (studyId) await showStudy(detail, studyId);
  const timer = setInterval(() => loadList(list), 5000);
  return () => clearInterval(timer);
}

async function loadList(panel) {
  let studies;
  try {
    studies = await call('ingest', '/api/v1/studies');
  } catch (e) {
    put(clear(panel), h('h2', {}, 'Studies'), errorBox(e));
    return;
  }
  const rows = studies.map((s) => [
    h('a', { href: `#/studies/${encodeURIComponent(s.studyId)}`, class: 'study-link' }, s.studyId),
    String(s.participants.length),
    Object.entries(s.facesPerSplit || {}).map(([k, v]) => `${k} ${v}`).join(', '),
    (s.labelSources || []).join(', '),
    (s.detectors || []).join(', ') + (s.detectorFallbackUsed ? ' (fallback used)' : ''),
  ]);
  put(clear(panel), h('h2', {}, 'Studies'), studies.length
    ? table(['study', 'people', 'faces per split', 'label source', 'detector'], rows)
    : h('p', { class: 'hint' }, 'No study ingested yet: upload one on the right, or run ./emotion demo.'));
}

async function showStudy(panel, studyId) {
  put(clear(panel), h('h2', {}, `Study ${studyId}`));
  try {
    const s = await call('ingest', `/api/v1/studies/${encodeURIComponent(studyId)}`);
    put(panel, 
      h('p', {}, `Dominant labels: ${Object.entries(s.labelCounts || {}).map(([k, v]) => `${k} ${v}`).join(', ')}`),
      s.excluded && Object.keys(s.excluded).length
        ? h('p', { class: 'hint' }, `Left out of the dominant-emotion task: ${JSON.stringify(s.excluded)}`) : null,
      table(['participant', 'split', 'frames', 'faces', 'labelled', 'label file'], s.participants.map((p) => [
        p.participantId, p.split, String(p.frames ?? '-'), String(p.faces ?? '-'), String(p.labelled ?? '-'),
        p.labelFile ? [p.labelFile.format, p.labelFile.scale].filter(Boolean).join(', ') : '-'])),
      h('p', {}, h('a', { href: `#/trainings/${encodeURIComponent(studyId)}` }, 'Train on this study'), ' · ',
        h('a', { href: `#/models/${encodeURIComponent(studyId)}` }, 'Models and report'), ' · ',
        h('a', { href: `#/live/${encodeURIComponent(studyId)}` }, 'Score a video')));
  } catch (e) {
    put(panel, errorBox(e));
  }
}

function uploadPanel(onDone) {
  const study = h('input', { id: 'upload-study', placeholder: 'study id, e.g. interviews-2026', required: true });
  const fps = h('input', { id: 'upload-fps', type: 'number', min: '0.5', step: '0.5', value: '5' });
  const input = h('input', { id: 'upload-files', type: 'file', multiple: true, accept: 'video/*,.csv,.txt' });
  const pairsBox = h('div', { id: 'upload-pairs' });
  const jobsBox = h('div', { id: 'upload-jobs' });
  const go = h('button', { id: 'upload-go', disabled: true }, 'Ingest');
  let pairs = new Map();
  const splits = new Map();

  function show(files) {
    pairs = pairFiles(files);
    clear(pairsBox);
    if (!pairs.size) return;
    const rows = [...pairs.entries()].map(([p, f], i) => {
      const sel = h('select', { 'data-participant': p }, ['train', 'val', 'test'].map((s) => h('option', { value: s }, s)));
      sel.value = defaultSplit(i);
      splits.set(p, sel);
      return [p, f.video ? f.video.name : h('span', { class: 'bad' }, 'no video'),
        f.labels ? f.labels.name : h('span', { class: 'hint' }, 'no labels (scored only)'), sel];
    });
    pairsBox.append(table(['participant', 'video', 'labels', 'split'], rows));
    go.disabled = ![...pairs.values()].some((f) => f.video);
  }

  const drop = h('div', { class: 'drop', id: 'upload-drop' }, 'Drop videos and their CSVs here (p01.mp4 + p01.csv), or ', input);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); show([...e.dataTransfer.files]); });
  input.addEventListener('change', () => show([...input.files]));

  go.addEventListener('click', async () => {
    if (!study.value.trim()) { study.focus(); return; }
    go.disabled = true;
    clear(jobsBox);
    const followers = [];
    for (const [participant, files] of pairs) {
      if (!files.video) continue;
      const row = jobRow(participant);
      jobsBox.append(row.el);
      const form = new FormData();
      form.append('studyId', study.value.trim());
      form.append('participantId', participant);
      form.append('split', splits.get(participant).value);
      form.append('maxFps', fps.value);
      form.append('video', files.video, files.video.name);
      if (files.labels) form.append('labels', files.labels, files.labels.name);
      try {
        const job = await call('ingest', '/api/v1/ingest/jobs', { method: 'POST', body: form });
        row.update(job);
        followers.push(follow(job.jobId, row));
      } catch (e) {
        row.fail(e.message);
      }
    }
    await Promise.all(followers);
    go.disabled = false;
    onDone();
  });

  return h('section', { class: 'panel', id: 'study-upload' }, h('h2', {}, 'New study from files'),
    h('label', {}, 'Study ', study), h('label', {}, ' frames per second ', fps), drop, pairsBox, go, jobsBox,
    h('p', { class: 'hint' }, 'No data of your own? ./emotion synth --preset quick --out DIR renders a synthetic ',
      'study (videos + iMotions CSVs) to drop here; the renderer is a command-line tool, not part of any service.'));
}

function jobRow(participant) {
  const state = h('span', { class: 'state' }, 'uploading');
  const bar = h('progress', { max: '1', value: '0' });
  const note = h('span', { class: 'note' });
  const el = h('div', { class: 'job', 'data-participant': participant }, h('b', {}, participant), ' ', state, ' ', bar, ' ', note);
  return {
    el,
    update(p) {
      state.textContent = p.state;
      el.dataset.state = p.state;
      note.textContent = `${p.framesDecoded ?? 0} frames, ${p.faces ?? 0} faces, ${p.labelled ?? 0} labelled`
        + (p.message ? ` - ${p.message}` : '');
      if (p.state === 'completed') bar.value = 1; else bar.removeAttribute('value');
      if (p.state === 'failed') el.classList.add('failed');
    },
    fail(message) {
      state.textContent = 'failed';
      el.dataset.state = 'failed';
      el.classList.add('failed');
      note.textContent = message;
      bar.value = 0;
    },
  };
}

/** Follows a job's server-sent events until it ends (EventSource reconnects by itself). */
function follow(jobId, row) {
  return new Promise((resolve) => {
    const events = new EventSource(`api/ingest/api/v1/ingest/jobs/${encodeURIComponent(jobId)}/events`);
    events.onmessage = (m) => {
      const p = JSON.parse(m.data);
      row.update(p);
      if (p.state === 'completed' || p.state === 'failed' || p.state === 'cancelled') {
        events.close();
        resolve(p);
      }
    };
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) resolve(null);
    };
  });
}
