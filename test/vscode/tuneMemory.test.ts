// Tune Memory… in VS Code from the CodeLens over a handler: the sizes asked (the
// lambdaLifecycle.tuneMemory.sizes setting offered), the function run at each with the CPU
// share of its memory, the chart opened; Apply to the local settings, then into the SAM
// template: one line of template.yaml written, the local memory setting removed so the
// template's value holds.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from './until';
import type { LambdaLifecycleApi } from '../../src/extension';
import type { SizeResult, TuneSummary } from '../../src/protocol/tuning';

describe('Tune Memory in VS Code', () => {
  it('runs from the CodeLens over the handler, opens the chart, and applies to the local settings or the template', async function () {
    this.timeout(300_000);
    const api = (await vscode.extensions
      .getExtension('lambda-lifecycle.lambda-lifecycle-debugger')!
      .activate()) as LambdaLifecycleApi;
    const folder = vscode.workspace.workspaceFolders![0];
    const root = folder.uri.fsPath;
    const template = path.join(root, 'template.yaml');
    const original = fs.readFileSync(template, 'utf8');
    const settings = vscode.workspace.getConfiguration('lambdaLifecycle');
    await settings.update('tuneMemory.sizes', '256,512', vscode.ConfigurationTarget.Workspace);
    try {
      const uri = vscode.Uri.joinPath(folder.uri, 'greeter', 'index.mjs');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const lens = await until('the Tune Memory lens', async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri))?.find(
          (l) => l.command?.command === 'lambdaLifecycle.tuneMemory',
        ),
      );
      assert.equal(lens.command!.title, 'Tune Memory…');
      const launch = lens.command!.arguments![0] as { template: string; function: string };
      assert.deepEqual(launch, { template, function: 'GreeterFunction' });

      // The command asks the sizes (the setting's offered): accepted as offered.
      let result: { sizes: SizeResult[]; summary: TuneSummary } | undefined;
      let settled = false;
      const running = Promise.resolve(
        vscode.commands.executeCommand<typeof result>(lens.command!.command, ...lens.command!.arguments!),
      ).then((r) => {
        result = r;
        settled = true;
      });
      await until(
        'Tune Memory to take the sizes offered and finish',
        async () => {
          if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          return settled;
        },
        240_000,
      );
      await running;
      assert.ok(result, 'the tuning result');
      assert.deepEqual(
        result.sizes.map((s) => [s.memorySizeMB, s.ok]),
        [
          [256, true],
          [512, true],
        ],
      );
      for (const size of result.sizes) {
        assert.ok(size.warmP50Ms! > 0 && size.coldInitDurationMs! > 0, JSON.stringify(size));
        assert.equal(size.cpu?.vcpus.toFixed(3), (size.memorySizeMB / 1769).toFixed(3));
        if (process.platform === 'linux' && process.getuid?.() === 0) assert.equal(size.cpu?.enforcedBy, 'cgroup');
      }
      assert.equal(result.summary.functionName, 'GreeterFunction');
      const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs);
      await until(`the chart open (tabs: ${tabs().map((t) => t.label)})`, () =>
        tabs().find((tab) => tab.label === 'Memory tuning: GreeterFunction'),
      );

      // Apply: where it may write, then to the local settings, then into the template.
      const selected = { name: 'GreeterFunction', launch };
      assert.deepEqual(api.configuration.applyTargets(selected), [
        { id: 'local', label: 'Local settings (.vscode/launch.json)' },
        { id: 'template', label: 'template.yaml (MemorySize of GreeterFunction)' },
      ]);
      assert.match(await api.configuration.applyMemorySize(selected, 256, 'local'), /Saved as local settings/);
      const local = () =>
        vscode.workspace
          .getConfiguration('launch')
          .get<Array<Record<string, unknown>>>('configurations')!
          .find((c) => c.function === 'GreeterFunction');
      assert.equal(local()?.memorySize, 256);
      assert.equal(fs.readFileSync(template, 'utf8'), original, 'the local Apply leaves the template alone');

      const written = await api.configuration.applyMemorySize(selected, 512, 'template');
      assert.match(written, /^MemorySize 512 written to template\.yaml \(function GreeterFunction/);
      assert.match(written, /local memory setting is removed/);
      const text = fs.readFileSync(template, 'utf8');
      assert.equal(
        text,
        original.replace('      CodeUri: greeter/\n', '      MemorySize: 512\n      CodeUri: greeter/\n'),
        'one line added, every other character as it was',
      );
      assert.equal(local()?.memorySize, undefined);
      assert.equal(api.configuration.settingsOf(selected).memorySize, 512, "the template's value holds");
    } finally {
      for (const group of vscode.window.tabGroups.all) {
        const tabs = group.tabs.filter((tab) => tab.label.startsWith('Memory tuning'));
        if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
      }
      await settings.update('tuneMemory.sizes', undefined, vscode.ConfigurationTarget.Workspace);
      fs.writeFileSync(template, original);
      fs.rmSync(path.join(root, '.vscode'), { recursive: true, force: true });
    }
  });
});
