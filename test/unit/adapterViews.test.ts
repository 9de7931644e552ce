// The adapter's phase breakpoints (which filters and conditions a request may set) and its
// Variables rendering (JSON one level at a time, module state nodes) and its DAP trace
// lines, without DAP.

import { strict as assert } from 'node:assert';
import { Handles } from '@vscode/debugadapter';
import { PHASE_BREAKPOINT_FILTERS, phaseBreakpoints } from '../../src/adapter/phaseBreakpoints';
import { toVariables } from '../../src/adapter/variables';
import { describeDapMessage } from '../../src/adapter/logger';
import { PHASE_FILTERS } from '../../src/protocol/debugProtocol';

describe('phase breakpoints', () => {
  it('offers one filter per phase', () => {
    assert.deepEqual(
      PHASE_BREAKPOINT_FILTERS.map((f) => f.filter),
      [...PHASE_FILTERS],
    );
  });

  it('sets the phases asked for with cold/warm conditions, and refuses other conditions and phases', () => {
    const { breakpoints, results } = phaseBreakpoints({
      filters: [],
      filterOptions: [
        { filterId: 'init' },
        { filterId: 'invoke', condition: ' Warm ' },
        { filterId: 'shutdown', condition: 'hot' },
        { filterId: 'freeze' },
      ],
    });
    assert.deepEqual(
      [...breakpoints],
      [
        ['init', { condition: null }],
        ['invoke', { condition: 'warm' }],
      ],
    );
    assert.deepEqual(
      results.map((r) => r.verified),
      [true, true, false, false],
    );
    assert.match(results[2].message!, /"cold" or "warm" \(got "hot"\)/);
    assert.deepEqual([...phaseBreakpoints({ filters: ['shutdown'] }).breakpoints.keys()], ['shutdown']);
  });
});

describe('variables', () => {
  it('shows JSON one level at a time, children behind handles', () => {
    const handles = new Handles<unknown>();
    const variables = toVariables({ name: 'x', n: 1, list: [1, 2], nested: { a: null } }, handles);
    assert.deepEqual(
      variables.map((v) => [v.name, v.value]),
      [
        ['name', '"x"'],
        ['n', '1'],
        ['list', 'Array(2)'],
        ['nested', '{…}'],
      ],
    );
    assert.deepEqual(handles.get(variables[3].variablesReference), { a: null });
    assert.deepEqual(
      toVariables(handles.get(variables[2].variablesReference), handles).map((v) => v.name),
      ['0', '1'],
    );
    assert.deepEqual(toVariables(null, handles), []);
  });

  it('shows module state nodes with their previews, saying when only some children are shown', () => {
    const handles = new Handles<unknown>();
    const child = { name: 'a', preview: '1' };
    const variables = toVariables(
      {
        stateNodes: [
          { name: 'cache', preview: 'Map(3)', more: 2, children: [child] },
          { name: 'n', preview: '2' },
        ],
      },
      handles,
    );
    assert.equal(variables[0].value, 'Map(3) (first 1 shown)');
    assert.equal(variables[1].variablesReference, 0);
    assert.deepEqual(toVariables(handles.get(variables[0].variablesReference), handles)[0].name, 'a');
  });
});

describe('DAP trace lines', () => {
  it('name the message at "messages", hold it whole at "verbose", and are off at "off"', () => {
    const response = { type: 'response', command: 'launch', seq: 3, success: false };
    assert.equal(describeDapMessage('←', response, 'off'), null);
    assert.equal(describeDapMessage('←', response, 'messages'), '← response launch (failed)');
    assert.equal(describeDapMessage('→', { type: 'request', command: 'threads' }, 'messages'), '→ request threads');
    assert.equal(describeDapMessage('←', response, 'verbose'), `← ${JSON.stringify(response)}`);
  });
});
