// Trainings: start one (architecture, task, hyper-parameters with the service's defaults shown), the runs with
// their state, and a run's per-epoch curves (losses, validation metrics, learning rate, img/s) drawn as the progress
// events arrive; cancel a run, resume a stopped one from its checkpoint.
import uPlot from 'uplot';
import { call } from '../api.js';
import { clear, errorBox, fmt, h, put, table } from '../dom.js';

const MODELS = ['cnn_simple', 'vit_scratch', 'resnet_pretrained', 'vit_pretrained', 'face_expression_baseline'];
const TASKS = ['emotion_class', 'emotion_multilabel', 'attention_regression', 'expression_regression', 'affect'];
const FINAL = new Set(['completed', 'failed', 'cancelled']);

export async function trainingsPage(main, [studyId, trainingId]) {
  const form = h('section', { class: 'panel', id: 'training-form' });
  const runs = h('section', { class: 'panel', id: 'training-runs' }, h('h2', {}, 'Runs'));
  const curve = h('section', { class: 'panel', id: 'training-curve' });
  main.append(h('div', { class: 'grid' }, form, runs), curve);
  await startForm(form, studyId);
  let selected = trainingId;
  let chart = null;
  async function refresh() {
    await listRuns(runs, studyId, selected);
    if (selected) chart = await drawCurve(curve, selected, chart);
  }
  await refresh();
  const timer = setInterval(refresh, 2000);
  return () => { clearInterval(timer); if (chart) chart.destroy(); };
}

async function startForm(panel, studyId) {
  panel.append(h('h2', {}, 'Start a training'));
  let studies = [];
  try {
    studies = (await call('training', '/api/v1/datasets')).map((d) => d.studyId || (d.study && d.study.studyId));
  } catch (e) {
    put(panel, errorBox(e));
  }
  const study = h('select', { id: 'train-study' }, studies.filter(Boolean).map((s) => h('option', { value: s }, s)));
  if (studyId) study.value = studyId;
  const model = h('select', { id: 'train-model' }, MODELS.map((m) => h('option', { value: m }, m)));
  const task = h('select', { id: 'train-task' }, TASKS.map((t) => h('option', { value: t }, t)));
  const fields = {
    epochs: h('input', { id: 'train-epochs', type: 'number', min: '1' }),
    batchSize: h('input', { id: 'train-batch', type: 'number', min: '1' }),
    learningRate: h('input', { id: 'train-lr', type: 'number', step: 'any' }),
    weightDecay: h('input', { id: 'train-wd', type: 'number', step: 'any' }),
    patience: h('input', { id: 'train-patience', type: 'number', min: '0' }),
    seed: h('input', { id: 'train-seed', type: 'number' }),
  };
  const defaultsNote = h('p', { class: 'hint', id: 'train-defaults' });
  const out = h('div', { id: 'train-result' });
  async function loadDefaults() {
    try {
      const d = await call('training', `/api/v1/trainings/defaults?model=${model.value}&task=${task.value}`);
      for (const [k, input] of Object.entries(fields)) {
        input.value = '';
        input.placeholder = String(d[k]);
      }
      defaultsNote.textContent = `Defaults for ${d.model} on ${d.task}: ${d.epochs} epochs, batch ${d.batchSize},`
        + ` learning rate ${d.learningRate}, weight decay ${d.weightDecay}, patience ${d.patience}, seed ${d.seed}`
        + (d.backbone ? `, backbone ${d.backbone}` : '') + (d.participantBaseline ? ', participant baselines' : '')
        + '. Leave a field empty to use its default.';
    } catch (e) {
      clear(defaultsNote).append(errorBox(e));
    }
  }
  model.addEventListener('change', loadDefaults);
  task.addEventListener('change', loadDefaults);
  const go = h('button', { id: 'train-go' }, 'Train');
  go.addEventListener('click', async () => {
    const request = { studyId: study.value, model: model.value, task: task.value };
    for (const [k, input] of Object.entries(fields)) if (input.value !== '') request[k] = Number(input.value);
    clear(out);
    try {
      const queued = await call('training', '/api/v1/trainings', { method: 'POST', json: request });
      location.hash = `#/trainings/${encodeURIComponent(request.studyId)}/${encodeURIComponent(queued.trainingId)}`;
    } catch (e) {
      out.append(errorBox(e));
    }
  });
  panel.append(h('div', { class: 'form' },
    h('label', {}, 'Study ', study), h('label', {}, 'Architecture ', model), h('label', {}, 'Task ', task),
    h('label', {}, 'Epochs ', fields.epochs), h('label', {}, 'Batch size ', fields.batchSize),
    h('label', {}, 'Learning rate ', fields.learningRate), h('label', {}, 'Weight decay ', fields.weightDecay),
    h('label', {}, 'Patience ', fields.patience), h('label', {}, 'Seed ', fields.seed)), defaultsNote, go, out);
  await loadDefaults();
}

async function listRuns(panel, studyId, selected) {
  let runs;
  try {
    runs = Object.values(await call('training', '/api/v1/trainings'));
  } catch (e) {
    put(clear(panel), h('h2', {}, 'Runs'), errorBox(e));
    return;
  }
  runs = runs.filter((r) => !studyId || r.studyId === studyId).sort((a, b) => (b.at || '').localeCompare(a.at || ''));
  const rows = runs.map((r) => {
    const link = h('a', { href: `#/trainings/${encodeURIComponent(r.studyId)}/${encodeURIComponent(r.trainingId)}`,
      class: r.trainingId === selected ? 'selected' : '' }, r.trainingId);
    const actions = [];
    if (!FINAL.has(r.state)) {
      actions.push(h('button', { class: 'small', onclick: () => cancel(r.trainingId, panel) }, 'Cancel'));
    } else if (r.state !== 'completed') {
      actions.push(h('button', { class: 'small', onclick: () => resume(r, panel) }, 'Resume'));
    }
    return [link, r.model, r.task, h('span', { class: `state ${r.state}` }, r.state),
      `${r.epoch ?? 0}/${r.epochs ?? '?'}`, r.message || '', actions];
  });
  put(clear(panel), h('h2', {}, studyId ? `Runs on ${studyId}` : 'Runs'), rows.length
    ? table(['training', 'model', 'task', 'state', 'epoch', 'message', ''], rows)
    : h('p', { class: 'hint' }, 'No training yet.'));
}

async function cancel(id, panel) {
  try {
    await call('training', `/api/v1/trainings/${encodeURIComponent(id)}`, { method: 'DELETE' });
  } catch (e) {
    put(panel, errorBox(e));
  }
}

async function resume(run, panel) {
  try {
    const queued = await call('training', '/api/v1/trainings', { method: 'POST',
      json: { studyId: run.studyId, model: run.model, task: run.task, resume: run.trainingId } });
    location.hash = `#/trainings/${encodeURIComponent(run.studyId)}/${encodeURIComponent(queued.trainingId)}`;
  } catch (e) {
    put(panel, errorBox(e));
  }
}

/** The run's curve: one uPlot chart of the losses and the first validation metrics, plus lr and img/s. */
async function drawCurve(panel, trainingId, chart) {
  let events;
  try {
    events = await call('training', `/api/v1/trainings/${encodeURIComponent(trainingId)}/curve`);
  } catch (e) {
    put(clear(panel), h('h2', {}, trainingId), errorBox(e));
    return null;
  }
  const epochs = events.filter((e) => e.epoch && e.trainLoss != null);
  const metricNames = [...new Set(epochs.flatMap((e) => Object.keys(e.valMetrics || {})))].slice(0, 3);
  const data = [
    epochs.map((e) => e.epoch),
    epochs.map((e) => e.trainLoss),
    epochs.map((e) => e.valLoss),
    ...metricNames.map((m) => epochs.map((e) => (e.valMetrics || {})[m] ?? null)),
  ];
  const last = events[events.length - 1] || {};
  if (!chart || chart.series.length !== data.length) {
    if (chart) chart.destroy();
    clear(panel);
    put(panel, h('h2', {}, `Run ${trainingId}`), h('p', { id: 'curve-status' }),
      h('div', { id: 'curve-chart', 'data-points': '0' }), h('div', { id: 'curve-table' }));
    chart = new uPlot({
      width: Math.min(900, panel.clientWidth - 20 || 800), height: 300,
      scales: { x: { time: false } },
      axes: [{ label: 'epoch', incrs: [1, 2, 5, 10, 20, 50, 100] }, { label: 'loss' }, { side: 1, scale: 'metric', label: 'metric', grid: { show: false } }],
      series: [{ label: 'epoch' },
        { label: 'train loss', stroke: '#d62728', width: 2 },
        { label: 'val loss', stroke: '#ff7f0e', width: 2, dash: [6, 4] },
        ...metricNames.map((m, i) => ({ label: m, scale: 'metric', stroke: ['#1f77b4', '#2ca02c', '#9467bd'][i], width: 2 }))],
    }, data, panel.querySelector('#curve-chart'));
  } else {
    chart.setData(data);
  }
  panel.querySelector('#curve-chart').dataset.points = String(epochs.length);
  panel.querySelector('#curve-status').textContent = `${last.state || ''}: epoch ${last.epoch ?? 0} of ${last.epochs ?? '?'}`
    + (last.message ? ` - ${last.message}` : '');
  clear(panel.querySelector('#curve-table')).append(table(['epoch', 'train loss', 'val loss', ...metricNames, 'learning rate', 'img/s'],
    epochs.map((e) => [String(e.epoch), fmt(e.trainLoss), fmt(e.valLoss), ...metricNames.map((m) => fmt((e.valMetrics || {})[m])),
      e.learningRate != null ? e.learningRate.toExponential(2) : '-', fmt(e.imagesPerSecond, 1)])));
  return chart;
}
