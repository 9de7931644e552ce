// "New sample event…": picks a service and an event type from the sample templates, writes
// the event to events/SERVICE-TYPE.json in the workspace (a new name if that one exists),
// opens it beside the editor and returns its path, for Invoke with Event… to run.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { generateSample, samplesOf, services } from '../fronts/samples/index';

export async function newSampleEvent(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('Lambda: open a folder to write the sample event in.');
    return undefined;
  }
  const service = await vscode.window.showQuickPick(services(), { placeHolder: 'Sample event of which service?' });
  if (!service) return undefined;
  const type = await vscode.window.showQuickPick(
    samplesOf(service).map((s) => ({ label: s.type, description: s.description, sample: s })),
    { placeHolder: `Which ${service} event?` },
  );
  if (!type) return undefined;
  const dir = path.join(folder.uri.fsPath, 'events');
  fs.mkdirSync(dir, { recursive: true });
  let file = path.join(dir, `${service}-${type.label}.json`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(dir, `${service}-${type.label}-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(generateSample(type.sample, {}), null, 2) + '\n');
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false, viewColumn: vscode.ViewColumn.Beside });
  return file;
}
