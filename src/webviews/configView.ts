// The Configuration view's script (runs in the webview, bundled to dist/webviews/configView.js):
// a form for the selected function's memory (with its vCPU share, and whether and how this
// machine enforces it), timeout, ephemeral storage, runtime, LoggingConfig and environment
// variables (an editable table with masked values). The rules it shows (vCPU share, the
// 4 KB variable budget) are Lambda's as the engine applies them (src/config/functionConfig.ts);
// the extension checks values and answers with problems by field, or saves.

import { LIMITS, cpuShareHeld, environmentSize, vcpuShare } from '../config/functionConfig';
import type { CpuMachine } from '../protocol/engineEvents';
import type {
  ConfigViewShow,
  FromConfigView,
  FunctionSettings,
  SettingsProblems,
  ToConfigView,
} from '../protocol/webviewProtocol';
import { byId, h } from './dom';
import { onMessage, webviewApi } from './vscodeApi';

const vscode = webviewApi<ConfigViewShow, FromConfigView>();
const FIELDS = ['memorySize', 'timeout', 'ephemeralStorage', 'runtime', 'logFormat', 'environment'] as const;

const input = (id: string) => byId<HTMLInputElement>(id);
const variables = () => byId<HTMLTableElement>('variables').tBodies[0];

/** A row of the variables table: name, masked value, Show/Hide and Remove. */
function row(name: string, value: string): HTMLTableRowElement {
  const nameInput = h('input', { className: 'var-name', 'aria-label': 'Variable name' });
  nameInput.value = name;
  const valueInput = h('input', {
    type: 'password',
    className: 'var-value',
    'aria-label': `Value of ${name || 'the new variable'}`,
  });
  valueInput.value = value;
  const reveal = h('button', { type: 'button', className: 'reveal', 'aria-pressed': 'false' }, 'Show');
  reveal.addEventListener('click', () => {
    const shown = valueInput.type === 'text';
    valueInput.type = shown ? 'password' : 'text';
    reveal.textContent = shown ? 'Show' : 'Hide';
    reveal.setAttribute('aria-pressed', String(!shown));
  });
  const tr = h('tr', {});
  const remove = h(
    'button',
    { type: 'button', className: 'remove', 'aria-label': `Remove ${name || 'this variable'}` },
    'Remove',
  );
  remove.addEventListener('click', () => {
    tr.remove();
    byId('add-variable').focus();
  });
  tr.append(h('td', {}, nameInput), h('td', {}, valueInput), h('td', {}, reveal, remove));
  return tr;
}

function read(): FunctionSettings {
  const environment: Record<string, string> = {};
  for (const tr of variables().rows) {
    const name = tr.querySelector<HTMLInputElement>('.var-name')!.value.trim();
    if (name) environment[name] = tr.querySelector<HTMLInputElement>('.var-value')!.value;
  }
  return {
    memorySize: Number(input('memorySize').value),
    timeout: Number(input('timeout').value),
    ephemeralStorage: Number(input('ephemeralStorage').value),
    runtime: byId<HTMLSelectElement>('runtime').value,
    environment,
    logFormat: byId<HTMLSelectElement>('logFormat').value === 'JSON' ? 'JSON' : 'Text',
    applicationLogLevel: byId<HTMLSelectElement>('applicationLogLevel').value,
    systemLogLevel: byId<HTMLSelectElement>('systemLogLevel').value,
  };
}

/** The levels apply to the JSON format only, as on Lambda. */
function showLogLevels(): void {
  const text = byId<HTMLSelectElement>('logFormat').value !== 'JSON';
  byId<HTMLSelectElement>('applicationLogLevel').disabled = text;
  byId<HTMLSelectElement>('systemLogLevel').disabled = text;
}

/** The machine's CPU rule of the function shown (its `show`, then `cpu` updates). */
let cpuMachine: CpuMachine | null = null;

function showVcpu(): void {
  const memory = Number(input('memorySize').value);
  byId('memorySize-note').textContent = memory > 0 ? `≈ ${vcpuShare(memory)} vCPU (1,769 MB is one vCPU)` : '';
  byId('cpu-note').textContent = memory > 0 && cpuMachine ? cpuNote(memory, cpuMachine) : '';
}

/** Whether the share is enforced here, and by what (engine/sandbox/environmentSandbox.ts). */
function cpuNote(memory: number, machine: CpuMachine): string {
  if (machine.mode === 'full')
    return 'CPU share off: lambdaLifecycle.cpu is "full", so environments run at the machine\'s full speed and Duration does not follow memory.';
  const held = cpuShareHeld(memory, machine);
  const vcpus = `${Math.round(held.vcpus * 100) / 100} vCPU`;
  const capped = held.vcpus < Math.min(memory / 1769, 6) ? ` (capped at this machine's ${machine.cores} cores)` : '';
  if (held.enforcedBy === 'cgroup') return `CPU share enforced: ${vcpus}${capped} by a cgroup CPU quota.`;
  if (held.enforcedBy === 'dutyCycle')
    return `CPU share enforced: ${vcpus} by duty-cycling the environment's processes (stop and continue).`;
  if (machine.mechanism === 'dutyCycle')
    return `CPU share not enforced: ${vcpus}${capped} is a full core or more, which duty-cycling leaves unlimited.`;
  return 'CPU share not enforced on this machine (no cgroup, and no duty-cycling on Windows).';
}

function showEnvironmentSize(): void {
  byId('environment-note').textContent =
    `${environmentSize(read().environment)} of ${LIMITS.environmentBytes} bytes used`;
}

function show(data: ConfigViewShow): void {
  vscode.setState(data);
  byId('empty').hidden = true;
  byId('form').hidden = false;
  byId('function-name').textContent = data.name;
  byId('source').textContent = data.sourceNote;
  input('memorySize').value = String(data.settings.memorySize);
  input('timeout').value = String(data.settings.timeout);
  input('ephemeralStorage').value = String(data.settings.ephemeralStorage);
  const runtime = byId<HTMLSelectElement>('runtime');
  runtime.replaceChildren(...data.runtimes.map((r) => h('option', { value: r }, r)));
  runtime.value = data.settings.runtime;
  byId<HTMLSelectElement>('logFormat').value = data.settings.logFormat ?? 'Text';
  byId<HTMLSelectElement>('applicationLogLevel').value = data.settings.applicationLogLevel ?? 'INFO';
  byId<HTMLSelectElement>('systemLogLevel').value = data.settings.systemLogLevel ?? 'INFO';
  showLogLevels();
  variables().replaceChildren(...Object.entries(data.settings.environment).map(([k, v]) => row(k, String(v))));
  byId('write-template').hidden = !data.canWriteTemplate;
  showProblems({});
  byId('status').textContent = '';
  cpuMachine = data.cpu;
  showVcpu();
  showEnvironmentSize();
}

function showProblems(byField: SettingsProblems): void {
  for (const field of FIELDS) {
    const forField = Object.entries(byField)
      .filter(([k]) => k === field || k.startsWith(field + '.'))
      .map(([, v]) => v);
    byId(`${field}-problem`).textContent = forField.join(' ');
    document.getElementById(field)?.setAttribute('aria-invalid', String(forField.length > 0));
  }
}

input('memorySize').addEventListener('input', showVcpu);
byId('logFormat').addEventListener('change', showLogLevels);
byId('variables').addEventListener('input', showEnvironmentSize);
byId('add-variable').addEventListener('click', () => {
  const tr = row('', '');
  variables().append(tr);
  tr.querySelector<HTMLInputElement>('.var-name')!.focus();
});
byId('form').addEventListener('submit', (event) => {
  event.preventDefault();
  vscode.postMessage({ type: 'apply', settings: read() });
});
byId('write-template').addEventListener('click', () => vscode.postMessage({ type: 'writeTemplate', settings: read() }));

onMessage<ToConfigView>((message) => {
  if (message.type === 'show') show(message);
  if (message.type === 'problems') {
    showProblems(message.problems);
    byId('status').textContent = 'Not saved: Lambda would refuse these values.';
  }
  if (message.type === 'cpu') {
    cpuMachine = message.cpu;
    const kept = vscode.getState();
    if (kept) vscode.setState({ ...kept, cpu: message.cpu });
    showVcpu();
  }
  if (message.type === 'saved') {
    showProblems({});
    byId('status').textContent = message.note;
  }
});

const kept = vscode.getState();
if (kept) show(kept);
vscode.postMessage({ type: 'ready' });
