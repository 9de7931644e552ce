// The state panel's script (runs in the webview, bundled to dist/webviews/statePanel.js):
// folds the engine events the extension forwards with the shared reducer
// (src/protocol/environmentModel.ts, the same fold as the debugger's threads and the
// Functions view) and renders the session: environments and their lifecycle, each
// invocation's REPORT, module state, /tmp, pending work, its log (JSON records readable and
// foldable). Every value from user code is set
// as text, never as HTML. The events are kept in the webview's state, so the panel shows
// the same picture after being hidden or reloaded.

import { LIMITS } from '../config/functionConfig';
import {
  emptySession,
  environmentLabel,
  environmentsOf,
  formatMs,
  invocationTitle,
  triggerLabel,
  reduce,
  reduceAll,
  snapshotBefore,
  timelineText,
  trimHistory,
  type InvocationModel,
  type SessionModel,
} from '../protocol/environmentModel';
import type { StateNode } from '../protocol/sandbox';
import type { EnvironmentModel, InitModel } from '../protocol/environmentModel';
import { initCostText, profileTree, type ProfileNode } from '../protocol/initProfileTree';
import { fetchedText, ownWorkText } from '../protocol/initPhasesText';
import { readableJsonLog } from '../protocol/logRecords';
import type { FromPanel, PanelState, ToPanel } from '../protocol/webviewProtocol';
import { byId, h } from './dom';
import { onMessage, webviewApi } from './vscodeApi';

const vscode = webviewApi<PanelState, FromPanel>();
/** Events kept across reloads (the environments' creations are always kept). */
const MAX_EVENTS = 2000;
const MB = 1024 * 1024;

let saved: PanelState = vscode.getState() ?? { fn: null, ended: false, events: [] };
let model: SessionModel = reduceAll(saved.events);
let selected: string | null = model.invocationOrder.at(-1) ?? null;
/** The lifecycle entry last asked for from the Call Stack: marked, scrolled to, focused. */
let revealed: { environmentId: string; entry: number } | null = null;
let focusRevealed = false;

// ----- Rendering (text only) ---------------------------------------------------------

const bytes = (n: number) =>
  n >= MB ? `${(n / MB).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;

/** A labelled meter; `format` writes a value with its unit. */
function bar(label: string, value: number, max: number, format: (n: number) => string): HTMLElement {
  const percent = max > 0 ? Math.min(100, Math.round((value / max) * 100)) : 0;
  const fill = h('span', { className: percent >= 90 ? 'bar-fill high' : 'bar-fill' });
  fill.style.width = `${percent}%`; // CSSOM, allowed by the CSP (inline style attributes are not)
  return h(
    'div',
    {
      className: 'bar',
      role: 'meter',
      'aria-label': label,
      'aria-valuenow': value,
      'aria-valuemin': 0,
      'aria-valuemax': max,
    },
    h('span', { className: 'bar-label' }, `${label}: ${format(value)} of ${format(max)} (${percent}%)`),
    h('span', { className: 'bar-track' }, fill),
  );
}

function renderEnvironments(): void {
  const root = byId('environments');
  root.replaceChildren();
  const environments = environmentsOf(model);
  if (environments.length === 0) {
    root.append(h('p', { className: 'empty' }, 'No environment yet.'));
    return;
  }
  for (const environment of environments) {
    const title = environmentLabel(environment);
    const items = environment.lifecycle.map((entry, index) => {
      const text = timelineText(entry);
      const mark =
        revealed?.environmentId === environment.environmentId && revealed.entry === index
          ? { 'aria-current': 'step', 'data-revealed': 'true' }
          : {};
      if (entry.kind !== 'invoke' || entry.requestId === null)
        return h('li', { className: `phase ${entry.kind}`, tabindex: -1, ...mark }, text);
      const requestId = entry.requestId;
      return h(
        'li',
        { className: `phase invoke ${entry.status ?? 'running'}`, ...mark },
        h(
          'button',
          { type: 'button', 'aria-pressed': String(selected === requestId), onclick: () => select(requestId) },
          text,
        ),
      );
    });
    const gone = environment.status === 'gone';
    root.append(
      h(
        'div',
        { className: gone ? 'environment gone' : 'environment', role: 'group', 'aria-label': title },
        h('h3', {}, title),
        h('ol', { className: 'timeline' }, items),
      ),
    );
  }
}

/** A tree of module state; nodes whose value differs from `before` are marked changed. */
function stateTree(nodes: StateNode[], before: StateNode[] | null | undefined, label: string | null): HTMLElement {
  const previous = new Map((before ?? []).map((n) => [n.name, n]));
  return h(
    'ul',
    { role: label ? 'tree' : 'group', 'aria-label': label, className: 'tree' },
    nodes.map((node) => {
      const old = previous.get(node.name);
      const changed = !old
        ? before
          ? 'added'
          : ''
        : old.preview !== node.preview || JSON.stringify(old.children) !== JSON.stringify(node.children)
          ? 'changed'
          : '';
      const line = [
        h('span', { className: 'name' }, node.name),
        ': ',
        h('span', { className: `value ${node.type}` }, node.preview),
        changed ? h('span', { className: 'mark' }, ` ${changed}`) : null,
      ];
      if (!node.children || node.children.length === 0) {
        return h('li', { role: 'treeitem', className: changed ? 'changed' : null }, line);
      }
      const more = node.more ? h('li', { className: 'more', role: 'treeitem' }, `… ${node.more} more`) : null;
      return h(
        'li',
        { role: 'treeitem', className: changed ? 'changed' : null },
        h(
          'details',
          {},
          h('summary', {}, line),
          stateTree(node.children, old?.children, null),
          more ? h('ul', { role: 'group' }, more) : null,
        ),
      );
    }),
  );
}

function renderDetails(): void {
  const root = byId('details');
  root.replaceChildren();
  const invocation = selected === null ? undefined : model.invocations[selected];
  if (!invocation) {
    root.append(h('p', { className: 'empty' }, 'Invoke the function to see what its environment carries.'));
    return;
  }
  const environment = model.environments[invocation.environmentId];
  const result = invocation.result;
  root.append(h('h3', {}, invocationTitle(model, invocation)));
  root.append(h('p', { className: 'trigger' }, `Trigger: ${triggerLabel(invocation.trigger)}`));
  if (result) {
    const report = result.report;
    root.append(
      h(
        'dl',
        { className: 'report' },
        h('dt', {}, 'Duration'),
        h('dd', {}, formatMs(report.durationMs)),
        h('dt', {}, 'Billed Duration'),
        h('dd', {}, `${report.billedDurationMs} ms`),
        report.initDurationMs !== null
          ? [h('dt', {}, 'Init Duration'), h('dd', {}, formatMs(report.initDurationMs))]
          : null,
        h('dt', {}, 'Max Memory Used'),
        h('dd', {}, `${report.maxMemoryUsedMB} MB of ${report.memorySizeMB} MB`),
      ),
      bar('Memory', report.maxMemoryUsedMB, report.memorySizeMB, (n) => `${n} MB`),
    );
    if (result.error)
      root.append(h('p', { className: 'error' }, `${result.error.errorType}: ${result.error.errorMessage}`));
  }
  // Init, for the invocation that paid for it (or a provisioned environment's first).
  if (environment?.init && (invocation.cold || invocation.number === 1)) root.append(initSection(environment));
  const snapshot = invocation.snapshot;
  const before = snapshotBefore(model, invocation);
  root.append(h('h4', {}, 'Module state'));
  if (snapshot?.moduleState) {
    const nodes = [...snapshot.moduleState.module, ...snapshot.moduleState.globals];
    const previous = before?.moduleState ? [...before.moduleState.module, ...before.moduleState.globals] : null;
    root.append(
      nodes.length
        ? stateTree(nodes, previous, 'Module state')
        : h('p', { className: 'empty' }, 'The handler keeps no module variables.'),
    );
  } else {
    root.append(
      h(
        'p',
        { className: 'empty' },
        snapshot ? 'Not captured for this runtime.' : 'Waiting for the invocation to end…',
      ),
    );
  }

  root.append(h('h4', {}, '/tmp'));
  if (snapshot) {
    // The environment's own /tmp size (its configuration may differ from the launch's).
    const storageMB =
      environment?.settings?.ephemeralStorageMB ?? saved.fn?.ephemeralStorageMB ?? LIMITS.ephemeralStorageMB.default;
    root.append(bar('/tmp used', snapshot.tmpUsedBytes, storageMB * MB, bytes));
    const old = new Map((before?.tmp ?? []).map((t) => [t.path, t]));
    root.append(
      h(
        'ul',
        { className: 'tmp', role: 'tree', 'aria-label': '/tmp' },
        snapshot.tmp.length === 0
          ? h('li', { className: 'empty' }, 'empty')
          : snapshot.tmp.map((entry) => {
              const was = old.get(entry.path);
              const mark = !was
                ? 'added'
                : entry.type === 'file' && (was.sizeBytes !== entry.sizeBytes || was.modifiedMs !== entry.modifiedMs)
                  ? 'changed'
                  : '';
              const text = `${entry.path}${entry.type === 'directory' ? '/' : ''}${entry.type === 'file' ? ` · ${bytes(entry.sizeBytes)}` : ''}`;
              const item =
                entry.type === 'file'
                  ? h(
                      'button',
                      {
                        type: 'button',
                        className: 'link',
                        onclick: () =>
                          vscode.postMessage({
                            type: 'openTmpFile',
                            environmentId: invocation.environmentId,
                            path: entry.path,
                          }),
                      },
                      text,
                    )
                  : text;
              return h(
                'li',
                { role: 'treeitem', className: mark ? 'changed' : null },
                item,
                mark ? h('span', { className: 'mark' }, ` ${mark}`) : null,
              );
            }),
      ),
    );
  }

  root.append(h('h4', {}, 'Work left pending when it returned'));
  root.append(pendingWork(invocation));
  if (invocation.result?.logs) {
    root.append(h('h4', {}, 'Log'));
    root.append(logLines(invocation.result.logs));
  }
}

/** The profile entry the CodeLens asked to show (its environment's), until shown. */
let revealedInit: { environmentId: string; index: number } | null = null;

/** Init in its three parts (a segmented bar with their durations), our own work apart, and
 * the profile of Function init as a tree, heaviest first. */
function initSection(environment: EnvironmentModel): HTMLElement {
  const init = environment.init as InitModel;
  const { extensionMs, runtimeMs, functionMs } = init.phases;
  const parts = [
    { name: 'Extension init', ms: extensionMs, className: 'extension' },
    { name: functionMs === null ? 'Runtime and function init' : 'Runtime init', ms: runtimeMs, className: 'runtime' },
    ...(functionMs === null ? [] : [{ name: 'Function init', ms: functionMs, className: 'function' }]),
  ];
  const total = parts.reduce((sum, part) => sum + part.ms, 0) || 1;
  const segments = parts.map((part) => {
    const segment = h('span', {
      className: `init-segment ${part.className}`,
      title: `${part.name} ${formatMs(part.ms)}`,
    });
    segment.style.width = `${(part.ms / total) * 100}%`;
    return segment;
  });
  const own = ownWorkText(init.ownWork ?? undefined);
  const fetched = fetchedText(init.ownWork);
  const section = h(
    'div',
    { className: 'init', role: 'group', 'aria-label': 'Init' },
    h('h4', {}, `Init · ${formatMs(init.durationMs)}`),
    h(
      'div',
      { className: 'init-bar', role: 'img', 'aria-label': parts.map((p) => `${p.name} ${formatMs(p.ms)}`).join(', ') },
      segments,
    ),
    h(
      'ul',
      { className: 'init-legend' },
      parts.map((part) =>
        h('li', {}, h('span', { className: `swatch ${part.className}` }), `${part.name} ${formatMs(part.ms)}`),
      ),
    ),
    own
      ? h(
          'p',
          { className: 'own-work' },
          own
            .trim()
            .replace(/^\(|\)$/g, '')
            .replace(/^ours/, 'Ours'),
        )
      : null,
    fetched ? h('p', { className: 'own-work fetched' }, fetched.replace(/^before/, 'Before')) : null,
  );
  if (init.profile) {
    const tree = profileTree(init.profile);
    const target =
      revealedInit && revealedInit.environmentId === environment.environmentId
        ? (tree.shownAt[revealedInit.index] ?? null)
        : null;
    section.append(
      h('h4', {}, 'Function init by import'),
      tree.roots.length
        ? profileList(tree.roots, 'Function init by import', target)
        : h('p', { className: 'empty' }, 'Nothing was loaded.'),
    );
  }
  return section;
}

/** True when the node or one below it is the entry to show. */
const holds = (node: ProfileNode, index: number | null): boolean =>
  index !== null && (node.index === index || node.children.some((child) => holds(child, index)));

function profileList(nodes: ProfileNode[], label: string | null, target: number | null): HTMLElement {
  return h(
    'ul',
    { role: label ? 'tree' : 'group', 'aria-label': label, className: 'tree profile' },
    nodes.map((node) => {
      const line = [
        h('span', { className: 'name' }, node.specifier),
        ' ',
        h('span', { className: 'cost' }, initCostText(node.totalMs).replace(/^Init: /, '')),
        node.children.length || node.folded
          ? h(
              'span',
              { className: 'mark' },
              ` (own ${formatMs(node.selfMs)}${node.folded ? ` · ${node.folded} more file${node.folded === 1 ? '' : 's'} inside` : ''})`,
            )
          : null,
        node.resolved ? h('span', { className: 'resolved' }, ` ${node.resolved}`) : null,
      ];
      const hints = node.hints.map((hint) => h('p', { className: 'hint' }, hint));
      const current = target === node.index;
      const attributes = {
        role: 'treeitem',
        className: current ? 'revealed' : null,
        'data-index': String(node.index),
        'aria-selected': current ? 'true' : null,
      };
      if (node.children.length === 0) return h('li', attributes, line, hints);
      const details = h(
        'details',
        {},
        h('summary', {}, line),
        hints,
        profileList(node.children, null, target),
      ) as HTMLDetailsElement;
      details.open = holds(node, target) || node.totalMs >= 1;
      return h('li', attributes, details);
    }),
  );
}

/** The invocation's log; Lambda's JSON records (LogFormat JSON) as their level and message,
 * each record foldable beneath. */
function logLines(logs: string): HTMLElement {
  return h(
    'div',
    { className: 'log' },
    ...logs
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const json = readableJsonLog(line);
        return json
          ? h(
              'details',
              { className: 'log-record' },
              h('summary', {}, json.text),
              h('pre', {}, JSON.stringify(json.record, null, 2)),
            )
          : h('pre', { className: 'log-line' }, line);
      }),
  );
}

function pendingWork(invocation: InvocationModel): HTMLElement {
  const pending = invocation.result?.pending ?? [];
  if (pending.length === 0) return h('p', { className: 'empty' }, 'None.');
  return h(
    'ul',
    { className: 'pending' },
    pending.map((work) => {
      const ranIn = invocation.ranIn[work.id];
      const ran = ranIn === undefined ? undefined : model.invocations[ranIn];
      const creator = work.createdInRequestId ? model.invocations[work.createdInRequestId] : undefined;
      return h(
        'li',
        {},
        h('span', { className: 'name' }, work.description),
        creator && creator.requestId !== invocation.requestId ? ` (left by invocation #${creator.number})` : '',
        work.site ? ` · ${work.site.file.split('/').slice(-2).join('/')}:${work.site.line}:${work.site.column}` : '',
        ran
          ? h('span', { className: 'mark' }, ` · ran in invocation #${ran.number}`)
          : h('span', { className: 'mark' }, ' · frozen'),
      );
    }),
  );
}

function render(): void {
  byId('title').textContent = saved.fn ? `Lambda state · ${saved.fn.functionName}` : 'Lambda state';
  byId('status').textContent = saved.ended ? 'The session ended; this is its last state.' : '';
  for (const id of ['invoke', 'invoke-cold', 'invoke-event', 'shutdown'])
    byId<HTMLButtonElement>(id).disabled = saved.ended || !saved.fn;
  renderEnvironments();
  renderDetails();
}

function select(requestId: string): void {
  selected = requestId;
  render();
  document.querySelector<HTMLElement>('[aria-pressed="true"]')?.focus();
}

/** A Call Stack frame chosen: its invocation selected, its entry marked, scrolled to and focused. */
function reveal(environmentId: string, index: number): void {
  const entry = model.environments[environmentId]?.lifecycle[index];
  if (!entry) return;
  revealed = { environmentId, entry: index };
  if (entry.kind === 'invoke' && entry.requestId !== null) selected = entry.requestId;
  focusRevealed = true;
  scheduleRender();
}

/** After the render: the revealed entry scrolled to and focused (its button, if any). */
function focusRevealedEntry(): void {
  if (!focusRevealed) return;
  focusRevealed = false;
  const item = document.querySelector<HTMLElement>('[data-revealed="true"]');
  item?.scrollIntoView({ block: 'nearest' });
  (item?.querySelector<HTMLElement>('button') ?? item)?.focus();
}

let renderQueued = false;
function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    // Kept once per frame, not per event: a burst of events costs one save and one render.
    saved.events = trimHistory(saved.events, MAX_EVENTS);
    vscode.setState(saved);
    render();
    focusRevealedEntry();
  });
}

onMessage<ToPanel>((message) => {
  if (message.type === 'session') {
    saved = { fn: message.fn, ended: false, events: [] };
    model = emptySession();
    selected = null;
  } else if (message.type === 'engine') {
    saved.events.push(message.event);
    model = reduce(model, message.event);
    if (message.event.type === 'invocationStarted') selected = message.event.requestId;
  } else if (message.type === 'ended') {
    saved.ended = true;
  } else if (message.type === 'reveal') {
    reveal(message.environmentId, message.entry);
    return;
  } else if (message.type === 'revealInit') {
    // The CodeLens over an import: the cold invocation of that environment, the entry shown.
    revealedInit = { environmentId: message.environmentId, index: message.index };
    const first = model.invocationOrder.find(
      (id) => model.invocations[id].environmentId === message.environmentId && model.invocations[id].number === 1,
    );
    if (first) selected = first;
    scheduleRender();
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('.profile [aria-selected="true"]')?.scrollIntoView({ block: 'center' }),
    );
    return;
  }
  scheduleRender();
});

byId('invoke').addEventListener('click', () => vscode.postMessage({ type: 'invoke', cold: false }));
byId('invoke-cold').addEventListener('click', () => vscode.postMessage({ type: 'invoke', cold: true }));
byId('invoke-event').addEventListener('click', () => vscode.postMessage({ type: 'invokeWithEvent' }));
byId('shutdown').addEventListener('click', () => {
  const invocation = selected === null ? undefined : model.invocations[selected];
  if (invocation) vscode.postMessage({ type: 'shutdown', environmentId: invocation.environmentId });
});

render();
vscode.postMessage({ type: 'ready' });
