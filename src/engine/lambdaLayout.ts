// Where a host folder of the function is in Lambda's filesystem: the code root at /var/task,
// each layer at /opt, the runtime's copy of the AWS SDK at /var/runtime/node_modules. One
// rule for the engine (TypeScript transpiled ahead under the path the kernel's sandbox loads
// it from, the Init profile's paths); the namespace's own mounts are sandbox/namespaces.ts.

import * as path from 'node:path';

export interface HostFolders {
  /** The code root: /var/task. */
  root: string;
  /** Layers' folders, each seen at /opt. */
  layers: string[];
  /** The runtime's copy of the AWS SDK: /var/runtime/node_modules. */
  runtimeModulesDir: string | null;
}

/** A host path as the function sees it on Lambda (unchanged when it is already, or outside). */
export function lambdaPath(file: string, folders: HostFolders): string {
  const under = (dir: string, to: string): string | null => {
    const relative = path.relative(dir, file);
    if (relative === '..' || relative.startsWith('..' + path.sep) || path.isAbsolute(relative)) return null;
    return relative ? path.posix.join(to, relative.split(path.sep).join('/')) : to;
  };
  return (
    under(folders.root, '/var/task') ??
    (folders.runtimeModulesDir ? under(folders.runtimeModulesDir, '/var/runtime/node_modules') : null) ??
    folders.layers.map((layer) => under(layer, '/opt')).find((found) => found !== null) ??
    file
  );
}
