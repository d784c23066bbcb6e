import './style.css';
import 'uplot/dist/uPlot.min.css';
import { apiKey, setApiKey, serviceStates, SERVICES } from './api.js';
import { clear, h } from './dom.js';
import { studiesPage } from './pages/studies.js';
import { trainingsPage } from './pages/trainings.js';
import { modelsPage } from './pages/models.js';
import { livePage } from './pages/live.js';

const pages = { studies: studiesPage, trainings: trainingsPage, models: modelsPage, live: livePage };
let stopCurrent = null;

async function route() {
  const [name, ...rest] = (location.hash.replace(/^#\/?/, '') || 'studies').split('/');
  const page = pages[name] || pages.studies;
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.page === name));
  if (stopCurrent) stopCurrent();
  stopCurrent = null;
  const main = clear(document.getElementById('page'));
  const stop = await page(main, rest.map(decodeURIComponent));
  if (typeof stop === 'function') stopCurrent = stop;
}

async function refreshServices() {
  const states = await serviceStates();
  const box = clear(document.getElementById('services'));
  for (const s of SERVICES) {
    box.append(h('span', { class: `svc ${states[s]}`, 'data-service': s, title: `${s}-service: ${states[s]}` }, s));
  }
}

const key = document.getElementById('api-key');
key.value = apiKey();
key.addEventListener('change', () => setApiKey(key.value.trim()));
window.addEventListener('hashchange', route);
refreshServices();
setInterval(refreshServices, 5000);
route();
