// The Configuration view's script (runs in the webview): a form for the selected
// function's memory (with its vCPU share), timeout, ephemeral storage, runtime and
// environment variables (an editable table with masked values). The extension checks
// values as Lambda does and answers with problems by field, or saves.
// @ts-check
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const $ = (id) => /** @type {any} */ (document.getElementById(id));
  let current = vscode.getState();

  function row(name, value) {
    const tr = document.createElement('tr');
    const nameInput = Object.assign(document.createElement('input'), { value: name, className: 'var-name' });
    nameInput.setAttribute('aria-label', 'Variable name');
    const valueInput = Object.assign(document.createElement('input'), {
      value,
      type: 'password',
      className: 'var-value',
    });
    valueInput.setAttribute('aria-label', `Value of ${name || 'the new variable'}`);
    const reveal = Object.assign(document.createElement('button'), {
      type: 'button',
      textContent: 'Show',
      className: 'reveal',
    });
    reveal.setAttribute('aria-pressed', 'false');
    reveal.addEventListener('click', () => {
      const shown = valueInput.type === 'text';
      valueInput.type = shown ? 'password' : 'text';
      reveal.textContent = shown ? 'Show' : 'Hide';
      reveal.setAttribute('aria-pressed', String(!shown));
    });
    const remove = Object.assign(document.createElement('button'), {
      type: 'button',
      textContent: 'Remove',
      className: 'remove',
    });
    remove.setAttribute('aria-label', `Remove ${name || 'this variable'}`);
    remove.addEventListener('click', () => {
      tr.remove();
      $('add-variable').focus();
    });
    const cells = [nameInput, valueInput, [reveal, remove]].map((content) => {
      const td = document.createElement('td');
      td.append(...(Array.isArray(content) ? content : [content]));
      return td;
    });
    tr.append(...cells);
    return tr;
  }

  function read() {
    const environment = {};
    for (const tr of $('variables').tBodies[0].rows) {
      const name = tr.querySelector('.var-name').value.trim();
      if (name) environment[name] = tr.querySelector('.var-value').value;
    }
    return {
      memorySize: Number($('memorySize').value),
      timeout: Number($('timeout').value),
      ephemeralStorage: Number($('ephemeralStorage').value),
      runtime: $('runtime').value,
      environment,
    };
  }

  function vcpu() {
    const memory = Number($('memorySize').value);
    $('memorySize-note').textContent =
      memory > 0 ? `≈ ${Math.min(6, Math.round((memory / 1769) * 100) / 100)} vCPU (1,769 MB is one vCPU)` : '';
  }

  function envSize() {
    const environment = read().environment;
    const bytes = Object.entries(environment).reduce(
      (n, [k, v]) => n + new TextEncoder().encode(k).length + new TextEncoder().encode(String(v)).length,
      0,
    );
    $('environment-note').textContent = `${bytes} of 4096 bytes used`;
  }

  function show(data) {
    current = data;
    vscode.setState(data);
    $('empty').hidden = true;
    $('form').hidden = false;
    $('function-name').textContent = data.name;
    $('source').textContent = data.sourceNote;
    $('memorySize').value = data.settings.memorySize;
    $('timeout').value = data.settings.timeout;
    $('ephemeralStorage').value = data.settings.ephemeralStorage;
    const runtime = $('runtime');
    runtime.replaceChildren(
      ...data.runtimes.map((r) => Object.assign(document.createElement('option'), { value: r, textContent: r })),
    );
    runtime.value = data.settings.runtime;
    $('variables').tBodies[0].replaceChildren(
      ...Object.entries(data.settings.environment).map(([k, v]) => row(k, String(v))),
    );
    $('write-template').hidden = !data.canWriteTemplate;
    problems({});
    $('status').textContent = '';
    vcpu();
    envSize();
  }

  function problems(byField) {
    for (const field of ['memorySize', 'timeout', 'ephemeralStorage', 'runtime', 'environment']) {
      const forField = Object.entries(byField)
        .filter(([k]) => k === field || k.startsWith(field + '.'))
        .map(([, v]) => v);
      $(`${field}-problem`).textContent = forField.join(' ');
      const input = $(field);
      if (input && input.setAttribute) input.setAttribute('aria-invalid', String(forField.length > 0));
    }
  }

  $('memorySize').addEventListener('input', vcpu);
  $('variables').addEventListener('input', envSize);
  $('add-variable').addEventListener('click', () => {
    const tr = row('', '');
    $('variables').tBodies[0].append(tr);
    tr.querySelector('.var-name').focus();
  });
  $('form').addEventListener('submit', (event) => {
    event.preventDefault();
    vscode.postMessage({ type: 'apply', settings: read() });
  });
  $('write-template').addEventListener('click', () => vscode.postMessage({ type: 'writeTemplate', settings: read() }));

  window.addEventListener('message', (message) => {
    const data = message.data;
    if (data.type === 'show') show(data);
    if (data.type === 'problems') {
      problems(data.problems);
      $('status').textContent = 'Not saved: Lambda would refuse these values.';
    }
    if (data.type === 'saved') {
      problems({});
      $('status').textContent = data.note;
    }
  });
  if (current) show(current);
  vscode.postMessage({ type: 'ready' });
})();
