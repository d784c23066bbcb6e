// Models and evaluations: the registry with lineage (study, training run, config, commit), the served model and a
// switch, evaluations of a study on its held-out people, and the evaluation report embedded as it is served.
import { call } from '../api.js';
import { clear, errorBox, fmt, h, put, table } from '../dom.js';

export async function modelsPage(main, [studyId]) {
  const served = h('section', { class: 'panel', id: 'served-model' }, h('h2', {}, 'Served model'));
  const registry = h('section', { class: 'panel', id: 'model-registry' }, h('h2', {}, 'Models'));
  const report = h('section', { class: 'panel wide', id: 'report-panel' });
  main.append(h('div', { class: 'grid' }, served, registry), report);
  await showServed(served);
  await showRegistry(registry, studyId, served);
  if (studyId) await showReport(report, studyId);
  const timer = setInterval(() => showServed(served), 5000);
  return () => clearInterval(timer);
}

async function showServed(panel) {
  try {
    const m = await call('inference', '/api/v1/model');
    put(clear(panel), h('h2', {}, 'Served model'), h('p', { id: 'served-id' }, m.loadedModelId || 'none loaded yet'),
      h('p', { class: 'hint' }, m.recommendedModelId
        ? `Recommended: ${m.recommendedModelId}${m.recommendedBy ? ` (by ${m.recommendedBy})` : ''}`
        : 'No evaluation has recommended a model yet.'));
  } catch (e) {
    put(clear(panel), h('h2', {}, 'Served model'), errorBox(e));
  }
}

async function showRegistry(panel, studyId, servedPanel) {
  let models;
  try {
    models = await call('training', `/api/v1/models${studyId ? `?studyId=${encodeURIComponent(studyId)}` : ''}`);
  } catch (e) {
    put(clear(panel), h('h2', {}, 'Models'), errorBox(e));
    return;
  }
  const studies = [...new Set(models.map((m) => m.studyId))];
  const rows = models.map((m) => [
    h('span', { title: m.modelId }, m.modelId),
    h('a', { href: `#/models/${encodeURIComponent(m.studyId)}` }, m.studyId),
    m.architecture + (m.config && m.config.backbone ? `/${m.config.backbone}` : ''), m.task,
    Object.entries(m.valMetrics || {}).slice(0, 3).map(([k, v]) => `${k} ${fmt(v)}`).join(', '),
    h('span', { title: JSON.stringify(m.config || {}) },
      `run ${m.trainingId}`
      + (m.config && m.config.dataSnapshot ? `, data ${String(m.config.dataSnapshot).slice(0, 12)}` : '')
      + (m.config && m.config.gitCommit ? `, commit ${m.config.gitCommit}` : '')),
    h('button', { class: 'small serve', onclick: () => serve(m.modelId, panel, servedPanel) }, 'Serve'),
  ]);
  const evaluate = studyId ? h('button', { id: 'evaluate-go', onclick: () => runEvaluation(studyId, panel) },
    `Evaluate ${studyId} on its held-out people`) : null;
  put(clear(panel), h('h2', {}, studyId ? `Models on ${studyId}` : 'Models'),
    rows.length ? table(['model', 'study', 'architecture', 'task', 'validation', 'lineage', ''], rows)
      : h('p', { class: 'hint' }, 'No model registered yet.'),
    !studyId && studies.length ? h('p', {}, 'Reports: ', studies.map((s) => [h('a', { href: `#/models/${encodeURIComponent(s)}` }, s), ' '])) : null,
    evaluate, h('div', { id: 'evaluation-status' }));
}

async function serve(modelId, panel, servedPanel) {
  try {
    await call('inference', '/api/v1/model', { method: 'PUT', json: { modelId } });
    await showServed(servedPanel);
  } catch (e) {
    put(panel, errorBox(e));
  }
}

async function runEvaluation(studyId, panel) {
  const status = panel.querySelector('#evaluation-status');
  clear(status).append(h('p', {}, 'queued'));
  try {
    const job = await call('evaluation', '/api/v1/evaluations', { method: 'POST', json: { studyId } });
    for (;;) {
      const s = await call('evaluation', `/api/v1/evaluations/${encodeURIComponent(job.evaluationId)}`);
      clear(status).append(h('p', {}, `${s.state}: ${Object.keys(s.models || {}).length} model(s) evaluated`));
      if (s.state === 'completed') break;
      if (s.state === 'failed') { status.append(errorBox(new Error(`evaluation-service: ${s.error}`))); return; }
      await new Promise((r) => setTimeout(r, 1500));
    }
    await showReport(document.getElementById('report-panel'), studyId);
  } catch (e) {
    status.append(errorBox(e));
  }
}

async function showReport(panel, studyId) {
  put(clear(panel), h('h2', {}, `Report: ${studyId}`));
  try {
    // ask for the report only once an evaluation of the study has completed (a 404 is not an error here)
    const done = (await call('evaluation', '/api/v1/evaluations'))
      .some((e) => e.studyId === studyId && e.state === 'completed');
    if (!done) {
      put(panel, h('p', { class: 'hint' }, `No report for ${studyId} yet: evaluate it above.`));
      return;
    }
    const r = await call('evaluation', `/api/v1/reports/${encodeURIComponent(studyId)}`);
    const rec = r.recommendation || {};
    put(panel, h('p', { id: 'recommendation' }, h('b', {}, rec.modelId ? 'Recommended: ' : 'No model recommended'), rec.modelId || '', rec.reason ? ` - ${rec.reason}` : ''),
      table(['model', 'accuracy', 'macro-F1', 'balanced accuracy', 'p50 ms'], (r.models || []).map((m) => [
        m.modelId, fmt((m.metrics || {}).accuracy), fmt((m.metrics || {}).macro_f1), fmt((m.metrics || {}).balanced_accuracy),
        fmt((m.efficiency || {}).latencyP50Ms, 1)])),
      h('p', {}, h('a', { href: `api/evaluation/reports/${encodeURIComponent(studyId)}/index.html`, target: '_blank' }, 'Open the report in its own tab')),
      h('iframe', { id: 'report-frame', src: `api/evaluation/reports/${encodeURIComponent(studyId)}/index.html`, title: `evaluation report ${studyId}` }));
  } catch (e) {
    put(panel, e.status === 404 ? h('p', { class: 'hint' }, `No report for ${studyId} yet: evaluate it above.`) : errorBox(e));
  }
}
