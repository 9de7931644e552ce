// The memory tuning chart (Tune Memory…): duration (cold first invocation, warm p50 and
// p90) and cost per million invocations against memory, drawn with Chart.js on canvases
// (no inline styles or eval, so it runs under the page's strict CSP), in the theme's
// colours; the same figures in a table (text only) for keyboards and screen readers; Apply
// buttons for the recommended sizes, writing to the local settings or the SAM template.

import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { ApplyTarget, FromTuneChart, ToTuneChart, TuneChartShow } from '../protocol/webviewProtocol';
import type { SizeResult } from '../protocol/tuning';
import { byId, h } from './dom';
import { onMessage, webviewApi } from './vscodeApi';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

const vscode = webviewApi<TuneChartShow, FromTuneChart>();
const charts: Chart[] = [];

const themeColor = (name: string, fallback: string) =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

function series(
  label: string,
  sizes: SizeResult[],
  value: (s: SizeResult) => number | null,
  color: string,
  dashed = false,
): ChartDataset<'line', { x: number; y: number }[]> {
  return {
    label,
    data: sizes.flatMap((s) => {
      const y = value(s);
      return s.ok && y !== null ? [{ x: s.memorySizeMB, y }] : [];
    }),
    borderColor: color,
    backgroundColor: color,
    borderDash: dashed ? [6, 4] : [],
    pointRadius: 4,
  };
}

function lineChart(
  canvas: HTMLCanvasElement,
  datasets: ChartDataset<'line', { x: number; y: number }[]>[],
  yTitle: string,
) {
  const foreground = themeColor('--vscode-foreground', '#444');
  const grid = themeColor('--vscode-panel-border', '#ddd');
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: foreground,
      plugins: { legend: { labels: { color: foreground } } },
      scales: {
        x: {
          type: 'linear',
          title: { display: true, text: 'Memory (MB)', color: foreground },
          ticks: { color: foreground },
          grid: { color: grid },
        },
        y: {
          type: 'linear',
          beginAtZero: true,
          title: { display: true, text: yTitle, color: foreground },
          ticks: { color: foreground },
          grid: { color: grid },
        },
      },
    },
  });
}

/** The places Apply may write to, as radio buttons; the first (the local settings) is chosen
 * unless the user chose another one before (kept across reloads). */
function showTargets(targets: ApplyTarget[]): void {
  const chosen = chosenTarget() ?? targets[0]?.id;
  byId('apply-targets').replaceChildren(
    ...targets.map((target) => {
      const radio = h('input', { type: 'radio', name: 'apply-target', id: `apply-to-${target.id}`, value: target.id });
      radio.checked = target.id === chosen;
      return h('div', { className: 'choice' }, radio, h('label', { for: `apply-to-${target.id}` }, target.label));
    }),
  );
}

function chosenTarget(): ApplyTarget['id'] | undefined {
  const checked = document.querySelector<HTMLInputElement>('input[name="apply-target"]:checked');
  return (checked?.value as ApplyTarget['id'] | undefined) ?? undefined;
}

const fixed = (value: number | null, digits = 1) => (value === null ? '–' : value.toFixed(digits));

function show(state: TuneChartShow): void {
  vscode.setState(state);
  const { sizes, summary } = state;
  byId('title').textContent = `Memory tuning: ${summary.functionName}`;
  const mb = (value: number | null) => (value === null ? 'none' : `${value} MB`);
  byId('recommendation').textContent =
    summary.balancedMB === null
      ? 'Every memory size failed: nothing to recommend.'
      : `Balanced ${mb(summary.balancedMB)} · cheapest ${mb(summary.cheapestMB)} · fastest ${mb(summary.fastestMB)}` +
        (summary.cancelled ? ' (cancelled: not every size ran)' : '');
  for (const [id, choice] of [
    ['apply-balanced', summary.balancedMB],
    ['apply-cheapest', summary.cheapestMB],
    ['apply-fastest', summary.fastestMB],
  ] as const) {
    const button = byId<HTMLButtonElement>(id);
    button.disabled = choice === null;
    button.dataset.memory = choice === null ? '' : String(choice);
    button.title = choice === null ? '' : `Write MemorySize ${choice} to the chosen place`;
  }
  showTargets(state.targets);
  byId('prices').textContent =
    `Cost per million invocations from the warm p50's Billed Duration at ${summary.pricedAs} ${summary.architecture} prices ` +
    `(taken ${summary.pricesTaken}), ${summary.warmInvocations} warm invocations per size, each size with the CPU share Lambda gives it.`;
  const body = byId('sizes').querySelector('tbody')!;
  body.replaceChildren(
    ...sizes.map((s) =>
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, String(s.memorySizeMB)),
        h('td', {}, fixed(s.coldInitDurationMs)),
        h('td', {}, fixed(s.coldDurationMs)),
        h('td', {}, s.ok ? fixed(s.warmP50Ms) : (s.errorType ?? 'failed')),
        h('td', {}, fixed(s.warmP90Ms)),
        h('td', {}, s.billedDurationMs === null ? '–' : String(s.billedDurationMs)),
        h('td', {}, s.maxMemoryUsedMB === null ? '–' : String(s.maxMemoryUsedMB)),
        h('td', {}, s.costPerMillionUsd === null ? '–' : `$${s.costPerMillionUsd.toFixed(4)}`),
      ),
    ),
  );
  for (const chart of charts.splice(0)) chart.destroy();
  const blue = themeColor('--vscode-charts-blue', '#1a85ff');
  const green = themeColor('--vscode-charts-green', '#388a34');
  const orange = themeColor('--vscode-charts-orange', '#d18616');
  charts.push(
    lineChart(
      byId<HTMLCanvasElement>('duration-chart'),
      [
        series('Warm p50', sizes, (s) => s.warmP50Ms, blue),
        series('Warm p90', sizes, (s) => s.warmP90Ms, blue, true),
        series('Cold: first Duration', sizes, (s) => s.coldDurationMs, orange),
        series('Cold: Init', sizes, (s) => s.coldInitDurationMs, orange, true),
      ],
      'Duration (ms)',
    ),
    lineChart(
      byId<HTMLCanvasElement>('cost-chart'),
      [series('$ per million invocations', sizes, (s) => s.costPerMillionUsd, green)],
      'USD per million',
    ),
  );
}

for (const id of ['apply-balanced', 'apply-cheapest', 'apply-fastest']) {
  byId<HTMLButtonElement>(id).addEventListener('click', (event) => {
    const memory = Number((event.currentTarget as HTMLButtonElement).dataset.memory);
    if (memory > 0) vscode.postMessage({ type: 'apply', memorySizeMB: memory, target: chosenTarget() ?? 'local' });
  });
}

onMessage<ToTuneChart>((message) => {
  if (message.type === 'show') show(message);
  else byId('status').textContent = message.note;
});

const kept = vscode.getState();
if (kept) show(kept);
vscode.postMessage({ type: 'ready' });
