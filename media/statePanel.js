// The state panel's script (runs in the webview): builds a picture of the session from the
// engine events the extension forwards (environments and their lifecycle, each
// invocation's REPORT, module state, /tmp, pending work) and renders it. Every value from
// user code is set as text, never as HTML. The events are kept in the webview's state, so
// the panel shows the same picture after being hidden or reloaded.
// @ts-check
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const MAX_EVENTS = 2000;
  const MB = 1024 * 1024;

  /** @type {{ fn: any, ended: boolean, events: any[] }} */
  let saved = vscode.getState() || { fn: null, ended: false, events: [] };
  let model = emptyModel();
  let selected = null;

  function emptyModel() {
    return { envs: new Map(), invocations: new Map(), initSnapshots: new Map(), order: [] };
  }

  // ----- The model, from engine events -------------------------------------------------

  function env(id) {
    let e = model.envs.get(id);
    if (!e) {
      e = {
        id,
        number: Number((/(\d+)$/.exec(id) || [0, model.envs.size + 1])[1]),
        lifecycle: [],
        invocations: 0,
        warm: false,
        gone: false,
      };
      model.envs.set(id, e);
    }
    return e;
  }

  function apply(event) {
    switch (event.type) {
      case 'environmentCreated':
        env(event.environmentId);
        break;
      case 'phaseStarted': {
        const e = env(event.environmentId);
        if (event.phase === 'init')
          e.lifecycle.push({ kind: 'init', label: 'Init (cold)', durationMs: null, status: null });
        if (event.phase === 'shutdown')
          e.lifecycle.push({ kind: 'shutdown', label: 'Shutdown', durationMs: null, status: null });
        break;
      }
      case 'phaseEnded': {
        const e = env(event.environmentId);
        const entry = [...e.lifecycle].reverse().find((l) => l.kind === event.phase && l.durationMs === null);
        if (entry) {
          entry.durationMs = event.durationMs;
          entry.status = event.status;
        }
        if (event.phase === 'init' && event.status === 'success') e.warm = true;
        break;
      }
      case 'invocationStarted': {
        const e = env(event.environmentId);
        e.invocations += 1;
        const invocation = {
          requestId: event.requestId,
          environmentId: event.environmentId,
          number: e.invocations,
          cold: event.cold,
          result: null,
          snapshot: null,
          previous:
            [...model.order].reverse().find((id) => model.invocations.get(id).environmentId === event.environmentId) ||
            null,
        };
        model.invocations.set(event.requestId, invocation);
        model.order.push(event.requestId);
        e.lifecycle.push({
          kind: 'invoke',
          label: `Invoke #${invocation.number} (${event.cold ? 'cold' : 'warm'})`,
          requestId: event.requestId,
          durationMs: null,
          status: null,
        });
        selected = event.requestId;
        break;
      }
      case 'invocationEnded': {
        const invocation = model.invocations.get(event.result.requestId);
        if (invocation) invocation.result = event.result;
        const e = env(event.environmentId);
        const entry = e.lifecycle.find((l) => l.requestId === event.result.requestId);
        if (entry) {
          entry.durationMs = event.result.report.durationMs;
          entry.status = event.result.status;
        }
        break;
      }
      case 'stateSnapshot': {
        const snapshot = {
          tmp: event.tmp,
          tmpUsedBytes: event.tmpUsedBytes,
          moduleState: event.moduleState,
          pending: event.pending,
        };
        if (event.requestId === null) model.initSnapshots.set(event.environmentId, snapshot);
        const invocation = event.requestId && model.invocations.get(event.requestId);
        if (invocation) invocation.snapshot = snapshot;
        // Work left pending earlier that ran during this invocation.
        for (const id of event.resumed || []) {
          for (const other of model.invocations.values()) {
            for (const work of (other.result && other.result.pending) || []) {
              if (work.id === id && other.environmentId === event.environmentId && !work.ranIn)
                work.ranIn = event.requestId;
            }
          }
        }
        break;
      }
      case 'environmentReset':
        env(event.environmentId).lifecycle.push({
          kind: 'reset',
          label: `Reset (${event.reason})`,
          durationMs: null,
          status: null,
        });
        env(event.environmentId).warm = false;
        break;
      case 'environmentGone':
        env(event.environmentId).gone = true;
        break;
    }
  }

  // ----- Rendering (text only) ---------------------------------------------------------

  /** Creates an element; children are nodes or text (set as text, never parsed). */
  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'className') element.className = value;
      else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
      else element.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return element;
  }

  const ms = (n) => (n === null || n === undefined ? '' : `${n < 10 ? n.toFixed(2) : Math.round(n)} ms`);
  const bytes = (n) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

  /** A labelled meter; `format` writes a value with its unit. */
  function bar(label, value, max, format) {
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

  function renderEnvironments() {
    const root = document.getElementById('environments');
    root.replaceChildren();
    if (model.envs.size === 0) {
      root.append(h('p', { className: 'empty' }, 'No environment yet.'));
      return;
    }
    for (const e of model.envs.values()) {
      const title = `env ${e.number} · ${e.gone ? 'gone' : e.warm ? 'warm' : 'cold'} · ${e.invocations} invocation${e.invocations === 1 ? '' : 's'}`;
      const items = e.lifecycle.map((entry) => {
        const text = [entry.label, ms(entry.durationMs), entry.status && entry.status !== 'success' ? entry.status : '']
          .filter(Boolean)
          .join(' · ');
        if (entry.kind !== 'invoke') return h('li', { className: `phase ${entry.kind}` }, text);
        return h(
          'li',
          { className: `phase invoke ${entry.status || 'running'}` },
          h(
            'button',
            {
              type: 'button',
              'aria-pressed': String(selected === entry.requestId),
              onclick: () => select(entry.requestId),
            },
            text,
          ),
        );
      });
      root.append(
        h(
          'div',
          { className: e.gone ? 'environment gone' : 'environment', role: 'group', 'aria-label': title },
          h('h3', {}, title),
          h('ol', { className: 'timeline' }, items),
        ),
      );
    }
  }

  function previousSnapshot(invocation) {
    if (invocation.previous) {
      const before = model.invocations.get(invocation.previous);
      if (before && before.snapshot) return before.snapshot;
    }
    return model.initSnapshots.get(invocation.environmentId) || null;
  }

  /** A tree of module state; nodes whose value differs from `before` are marked changed. */
  function stateTree(nodes, before, label) {
    const previous = new Map((before || []).map((n) => [n.name, n]));
    return h(
      'ul',
      { role: label ? 'tree' : 'group', 'aria-label': label || null, className: 'tree' },
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
          return h('li', { role: 'treeitem', className: changed ? `changed` : null }, line);
        }
        const more = node.more ? h('li', { className: 'more', role: 'treeitem' }, `… ${node.more} more`) : null;
        return h(
          'li',
          { role: 'treeitem', className: changed ? 'changed' : null },
          h(
            'details',
            {},
            h('summary', {}, line),
            stateTree(node.children, old && old.children, null),
            more ? h('ul', { role: 'group' }, more) : null,
          ),
        );
      }),
    );
  }

  function renderDetails() {
    const root = document.getElementById('details');
    root.replaceChildren();
    const invocation = selected && model.invocations.get(selected);
    if (!invocation) {
      root.append(h('p', { className: 'empty' }, 'Invoke the function to see what its environment carries.'));
      return;
    }
    const e = env(invocation.environmentId);
    const result = invocation.result;
    root.append(
      h(
        'h3',
        {},
        `Invoke #${invocation.number} (${invocation.cold ? 'cold' : 'warm'}) in env ${e.number}${result ? ` · ${result.status}` : ' · running'}`,
      ),
    );
    if (result) {
      const report = result.report;
      root.append(
        h(
          'dl',
          { className: 'report' },
          h('dt', {}, 'Duration'),
          h('dd', {}, ms(report.durationMs)),
          h('dt', {}, 'Billed Duration'),
          h('dd', {}, `${report.billedDurationMs} ms`),
          report.initDurationMs !== null
            ? [h('dt', {}, 'Init Duration'), h('dd', {}, ms(report.initDurationMs))]
            : null,
          h('dt', {}, 'Max Memory Used'),
          h('dd', {}, `${report.maxMemoryUsedMB} MB of ${report.memorySizeMB} MB`),
        ),
        bar('Memory', report.maxMemoryUsedMB, report.memorySizeMB, (n) => `${n} MB`),
      );
      if (result.error)
        root.append(h('p', { className: 'error' }, `${result.error.errorType}: ${result.error.errorMessage}`));
    }
    const snapshot = invocation.snapshot;
    const before = previousSnapshot(invocation);
    root.append(h('h4', {}, 'Module state'));
    if (snapshot && snapshot.moduleState) {
      const nodes = [...snapshot.moduleState.module, ...snapshot.moduleState.globals];
      const previous =
        before && before.moduleState ? [...before.moduleState.module, ...before.moduleState.globals] : null;
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
      const cap = (saved.fn ? saved.fn.ephemeralStorageMB : 512) * MB;
      root.append(bar('/tmp used', snapshot.tmpUsedBytes, cap, bytes));
      const old = new Map(((before && before.tmp) || []).map((t) => [t.path, t]));
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
    const pending = (result && result.pending) || [];
    root.append(
      pending.length === 0
        ? h('p', { className: 'empty' }, 'None.')
        : h(
            'ul',
            { className: 'pending' },
            pending.map((work) => {
              const ran = work.ranIn && model.invocations.get(work.ranIn);
              return h(
                'li',
                {},
                h('span', { className: 'name' }, work.description),
                work.createdInRequestId &&
                  work.createdInRequestId !== invocation.requestId &&
                  model.invocations.get(work.createdInRequestId)
                  ? ` (left by invocation #${model.invocations.get(work.createdInRequestId).number})`
                  : '',
                work.site
                  ? ` · ${work.site.file.split('/').slice(-2).join('/')}:${work.site.line}:${work.site.column}`
                  : '',
                ran
                  ? h('span', { className: 'mark' }, ` · ran in invocation #${ran.number}`)
                  : h('span', { className: 'mark' }, ' · frozen'),
              );
            }),
          ),
    );
  }

  function render() {
    document.getElementById('title').textContent = saved.fn
      ? `Lambda state · ${saved.fn.functionName}`
      : 'Lambda state';
    document.getElementById('status').textContent = saved.ended ? 'The session ended; this is its last state.' : '';
    for (const id of ['invoke', 'invoke-cold', 'invoke-event', 'shutdown'])
      document.getElementById(id).disabled = saved.ended || !saved.fn;
    renderEnvironments();
    renderDetails();
  }

  function select(requestId) {
    selected = requestId;
    render();
    const pressed = document.querySelector('[aria-pressed="true"]');
    if (pressed) pressed.focus();
  }

  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      // Kept once per frame, not per event: a burst of events costs one save and one render.
      vscode.setState(saved);
      render();
    });
  }

  window.addEventListener('message', (message) => {
    const data = message.data;
    if (data.type === 'session') {
      saved = { fn: data.fn, ended: false, events: [] };
      model = emptyModel();
      selected = null;
    } else if (data.type === 'engine') {
      saved.events.push(data.event);
      if (saved.events.length > MAX_EVENTS) saved.events.splice(0, saved.events.length - MAX_EVENTS);
      apply(data.event);
    } else if (data.type === 'ended') {
      saved.ended = true;
    }
    scheduleRender();
  });

  document
    .getElementById('invoke')
    .addEventListener('click', () => vscode.postMessage({ type: 'invoke', cold: false }));
  document
    .getElementById('invoke-cold')
    .addEventListener('click', () => vscode.postMessage({ type: 'invoke', cold: true }));
  document
    .getElementById('invoke-event')
    .addEventListener('click', () => vscode.postMessage({ type: 'invokeWithEvent' }));
  document.getElementById('shutdown').addEventListener('click', () => {
    const invocation = selected && model.invocations.get(selected);
    if (invocation) vscode.postMessage({ type: 'shutdown', environmentId: invocation.environmentId });
  });

  for (const event of saved.events) apply(event);
  render();
  vscode.postMessage({ type: 'ready' });
})();
