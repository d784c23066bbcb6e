// Live scoring. A video from disk plays with the detected faces boxed on it and, under it, a per-frame timeline of
// the emotions that fills in while inference-service decodes (NDJSON), with the participant's AFFDEX trace beside it
// when their labels file is given; clicking the timeline seeks the video; the per-frame CSV is one click. Webcam mode sends camera frames over the WebSocket stream and shows live boxes, a
// rolling timeline and the measured frame-to-prediction latency.
import uPlot from 'uplot';
import { call, readNdjson } from '../api.js';
import { clear, errorBox, fmt, h, put } from '../dom.js';

const EMOTIONS = ['joy', 'anger', 'fear', 'disgust', 'sadness', 'surprise', 'contempt'];
const COLOURS = ['#f2b705', '#d62728', '#9467bd', '#2ca02c', '#1f77b4', '#ff7f0e', '#8c564b', '#7f7f7f'];

export async function livePage(main) {
  const panel = h('section', { class: 'panel wide', id: 'live' });
  main.append(panel);
  const modeVideo = h('button', { id: 'mode-video', class: 'tab active' }, 'Video file');
  const modeCam = h('button', { id: 'mode-webcam', class: 'tab' }, 'Webcam');
  const body = h('div');
  panel.append(h('h2', {}, 'Live scoring'), h('p', { id: 'live-model', class: 'hint' }), h('div', {}, modeVideo, modeCam), body);
  try {
    const m = await call('inference', '/api/v1/model');
    panel.querySelector('#live-model').textContent = m.loadedModelId
      ? `inference-service serves ${m.loadedModelId}` : 'inference-service has no model loaded yet (evaluate a study first).';
  } catch (e) {
    panel.querySelector('#live-model').replaceWith(errorBox(e));
  }
  let stop = videoMode(body);
  modeVideo.addEventListener('click', () => { stop(); modeVideo.classList.add('active'); modeCam.classList.remove('active'); stop = videoMode(clear(body)); });
  modeCam.addEventListener('click', () => { stop(); modeCam.classList.add('active'); modeVideo.classList.remove('active'); stop = webcamMode(clear(body)); });
  return () => stop();
}

/**
 * A timeline chart of the emotions of face 0 over time (seconds); onSeek(t) when clicked. With `affdex` (the
 * participant's labels file read by ingest-service: {timestampsMs, emotions}), its traces are drawn dashed beside
 * the model's, on the same time axis.
 */
function timeline(el, width, onSeek, affdex) {
  const data = [[], ...EMOTIONS.map(() => [])];
  const reference = affdex ? [affdex.timestampsMs.map((t) => t / 1000), ...EMOTIONS.map((e) => affdex.emotions[e])] : null;
  const chart = new uPlot({
    width, height: 240, scales: { x: { time: false }, y: { range: [0, 1] } },
    axes: [{ label: 'seconds' }, { label: 'probability / AFFDEX score' }],
    series: [{ label: 't' }, ...EMOTIONS.map((e, i) => ({ label: e, stroke: COLOURS[i], width: 1.5, spanGaps: true })),
      ...(affdex ? EMOTIONS.map((e, i) => ({ label: `AFFDEX ${e}`, stroke: COLOURS[i], width: 1, dash: [4, 4], spanGaps: true })) : [])],
    hooks: onSeek ? { ready: [(u) => u.over.addEventListener('click', () => {
      const t = u.posToVal(u.cursor.left, 'x');
      if (Number.isFinite(t)) onSeek(t);
    })] } : {},
  }, reference ? uPlot.join([data, reference]) : data, el);
  if (reference) el.dataset.affdex = String(reference[0].length);
  return {
    add(t, probabilities) {
      data[0].push(t);
      EMOTIONS.forEach((e, i) => data[i + 1].push(probabilities ? probabilities[e] ?? null : null));
    },
    trim(keepSeconds) {
      const cut = data[0].findIndex((t) => t >= data[0][data[0].length - 1] - keepSeconds);
      if (cut > 0) data.forEach((s) => s.splice(0, cut));
    },
    redraw() {
      chart.setData(reference ? uPlot.join([data, reference]) : data);
      el.dataset.points = String(data[0].length);
    },
    destroy() { chart.destroy(); },
  };
}

function drawBoxes(canvas, faces, sourceWidth, sourceHeight) {
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!faces || !sourceWidth) return 0;
  const sx = canvas.width / sourceWidth;
  const sy = canvas.height / sourceHeight;
  ctx.lineWidth = 2;
  ctx.font = '14px sans-serif';
  for (const f of faces) {
    const b = f.box;
    ctx.strokeStyle = '#00e676';
    ctx.strokeRect(b.x * sx, b.y * sy, b.width * sx, b.height * sy);
    const label = `${f.dominant} ${fmt((f.probabilities || {})[f.dominant], 2)}`;
    ctx.fillStyle = 'rgba(0,0,0,0.6)';
    ctx.fillRect(b.x * sx, b.y * sy - 18, ctx.measureText(label).width + 8, 18);
    ctx.fillStyle = '#fff';
    ctx.fillText(label, b.x * sx + 4, b.y * sy - 4);
  }
  canvas.dataset.boxes = String(faces.length);
  return faces.length;
}

function videoMode(body) {
  const file = h('input', { id: 'live-file', type: 'file', accept: 'video/*' });
  const labelsInput = h('input', { id: 'live-labels', type: 'file', accept: '.csv,.txt' });
  const fps = h('input', { id: 'live-fps', type: 'number', min: '1', max: '30', value: '5' });
  const go = h('button', { id: 'live-go', disabled: true }, 'Score');
  const csv = h('button', { id: 'live-csv', disabled: true }, 'Download per-frame CSV');
  const status = h('p', { id: 'live-status' });
  const video = h('video', { id: 'live-video', controls: true, muted: true, playsinline: true });
  const canvas = h('canvas', { id: 'live-boxes' });
  const chartEl = h('div', { id: 'live-timeline', 'data-points': '0' });
  const errors = h('div');
  body.append(h('div', { class: 'form' }, h('label', {}, 'Video ', file),
    h('label', { title: 'the participant\'s iMotions/AFFDEX export: its traces are drawn beside the model\'s' }, 'AFFDEX labels (optional) ', labelsInput),
    h('label', {}, 'frames per second ', fps), go, csv),
    status, errors, h('div', { class: 'stage' }, video, canvas), chartEl);
  let frames = [];
  let affdex = null;
  let source = { width: 0, height: 0 };
  labelsInput.addEventListener('change', async () => {
    affdex = null;
    clear(errors);
    if (!labelsInput.files.length) return;
    const form = new FormData();
    form.append('labels', labelsInput.files[0], labelsInput.files[0].name);
    try {
      affdex = await call('ingest', '/api/v1/labels/trace', { method: 'POST', body: form });
      status.textContent = `AFFDEX labels: ${affdex.samples} rows (${affdex.format}, scores ${affdex.scale}), drawn dashed`;
    } catch (e) {
      errors.append(errorBox(e));
    }
  });
  let chart = null;
  let raf = 0;

  file.addEventListener('change', () => {
    if (!file.files.length) return;
    video.src = URL.createObjectURL(file.files[0]);
    go.disabled = false;
    csv.disabled = false;
  });
  video.addEventListener('loadedmetadata', () => {
    canvas.width = video.clientWidth;
    canvas.height = video.clientHeight;
    source = { width: video.videoWidth, height: video.videoHeight };
  });

  // the last scored frame at or before t (frames arrive in time order): a binary search, run on every repaint
  function frameAt(t) {
    const ms = (t + 0.05) * 1000;
    let lo = 0;
    let hi = frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (frames[mid].timestampMs <= ms) lo = mid + 1; else hi = mid;
    }
    return lo > 0 ? frames[lo - 1] : null;
  }
  function paint() {
    const f = frameAt(video.currentTime);
    canvas.width = video.clientWidth;
    canvas.height = video.clientHeight;
    drawBoxes(canvas, f ? f.faces : [], source.width, source.height);
    raf = requestAnimationFrame(paint);
  }
  raf = requestAnimationFrame(paint);

  go.addEventListener('click', async () => {
    go.disabled = true;
    clear(errors);
    frames = [];
    if (chart) chart.destroy();
    chart = timeline(clear(chartEl), Math.min(900, body.clientWidth - 20 || 800), (t) => { video.currentTime = t; }, affdex);
    const f = file.files[0];
    status.textContent = `decoding and scoring ${f.name} ...`;
    try {
      const response = await call('inference', `/api/v1/predict/video?fps=${encodeURIComponent(fps.value)}&smooth=0.5`,
        { method: 'POST', body: f, raw: true, accept: 'application/x-ndjson' });
      let n = 0;
      await readNdjson(response, (frame) => {
        if (frame.error) throw new Error(`inference-service: ${frame.error}`);
        frames.push(frame);
        const face = (frame.faces || [])[0];
        chart.add(frame.timestampMs / 1000, face ? face.probabilities : null);
        if (++n % 5 === 0) chart.redraw();
        status.textContent = `${n} frames scored (${frame.modelId}), latency ${fmt(frame.latencyMs, 1)} ms`;
      });
      chart.redraw();
      status.textContent = `${frames.length} frames scored, ${frames.filter((x) => (x.faces || []).length).length} with a face;`
        + ' click the timeline to seek';
      video.play().catch(() => {});
    } catch (e) {
      errors.append(errorBox(e));
    }
    go.disabled = false;
  });

  csv.addEventListener('click', async () => {
    clear(errors);
    const f = file.files[0];
    try {
      const response = await call('inference', `/api/v1/predict/video?fps=${encodeURIComponent(fps.value)}&smooth=0.5`,
        { method: 'POST', body: f, raw: true, accept: 'text/csv' });
      const url = URL.createObjectURL(await response.blob());
      const a = h('a', { href: url, download: f.name.replace(/\.[^.]+$/, '') + '.emotions.csv' });
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      errors.append(errorBox(e));
    }
  });

  return () => { cancelAnimationFrame(raf); if (chart) chart.destroy(); if (video.src) URL.revokeObjectURL(video.src); };
}

function webcamMode(body) {
  const start = h('button', { id: 'webcam-start' }, 'Start camera');
  const status = h('p', { id: 'webcam-status' });
  const latencyEl = h('p', { id: 'webcam-latency', class: 'hint' });
  const video = h('video', { id: 'webcam-video', muted: true, playsinline: true, autoplay: true });
  const canvas = h('canvas', { id: 'webcam-boxes' });
  const chartEl = h('div', { id: 'webcam-timeline', 'data-points': '0' });
  const errors = h('div');
  body.append(start, status, latencyEl, errors, h('div', { class: 'stage' }, video, canvas), chartEl);
  let stream = null;
  let socket = null;
  let timer = 0;
  let chart = null;
  const sentAt = new Map();
  const latencies = [];
  let seq = 0;
  let t0 = 0;

  async function begin() {
    start.disabled = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    } catch (e) {
      errors.append(errorBox(new Error(`the camera could not be opened: ${e.message}`)));
      start.disabled = false;
      return;
    }
    video.srcObject = stream;
    await video.play().catch(() => {});
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const base = location.pathname.replace(/[^/]*$/, '');
    socket = new WebSocket(`${proto}://${location.host}${base}api/inference/api/v1/stream?policy=drop-oldest&queue=2`);
    socket.binaryType = 'arraybuffer';
    chart = timeline(clear(chartEl), Math.min(900, body.clientWidth - 20 || 800), null);
    t0 = performance.now();
    socket.onmessage = (m) => {
      const r = JSON.parse(m.data);
      if (r.stream) { status.textContent = `connected (stream ${r.stream}, policy ${r.policy})`; return; }
      if (r.error) { status.textContent = `inference-service: ${r.error}`; return; }
      if (r.dropped) return;
      const sent = sentAt.get(r.seq);
      sentAt.delete(r.seq);
      if (sent) latencies.push(performance.now() - sent);
      if (latencies.length > 50) latencies.shift();
      const sorted = [...latencies].sort((a, b) => a - b);
      latencyEl.textContent = `frame -> prediction: p50 ${fmt(sorted[Math.floor(sorted.length / 2)], 0)} ms, `
        + `last ${fmt(latencies[latencies.length - 1], 0)} ms (${r.modelId})`;
      canvas.width = video.clientWidth;
      canvas.height = video.clientHeight;
      drawBoxes(canvas, r.faces, r.width, r.height);
      const face = (r.faces || [])[0];
      chart.add((performance.now() - t0) / 1000, face ? face.probabilities : null);
      chart.trim(30);
      chart.redraw();
    };
    socket.onclose = (e) => { status.textContent = `stream closed (${e.code}${e.reason ? `: ${e.reason}` : ''})`; };
    socket.onopen = () => { timer = setInterval(sendFrame, 100); };
  }

  const grab = document.createElement('canvas');
  function sendFrame() {
    if (!socket || socket.readyState !== WebSocket.OPEN || !video.videoWidth || socket.bufferedAmount > 1 << 20) return;
    grab.width = video.videoWidth;
    grab.height = video.videoHeight;
    grab.getContext('2d').drawImage(video, 0, 0);
    grab.toBlob(async (blob) => {
      if (!blob || socket.readyState !== WebSocket.OPEN) return;
      const n = ++seq;
      const bytes = new Uint8Array(8 + blob.size);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(n));
      bytes.set(new Uint8Array(await blob.arrayBuffer()), 8);
      sentAt.set(n, performance.now());
      socket.send(bytes);
    }, 'image/jpeg', 0.8);
  }

  start.addEventListener('click', begin);
  return () => {
    clearInterval(timer);
    if (socket) socket.close();
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (chart) chart.destroy();
  };
}
