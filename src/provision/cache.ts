// The per-user cache of what runtimes need on this machine (Node binaries, the runtime's
// AWS SDK, transpiled handlers): fetched or made once, reused offline. LLD_CACHE_DIR moves
// it (tests and CI point it at an empty folder); otherwise the platform's cache folder.

import * as os from 'node:os';
import * as path from 'node:path';

const NAME = 'lambda-lifecycle-debugger';

export function cacheDirectory(): string {
  if (process.env.LLD_CACHE_DIR) return path.resolve(process.env.LLD_CACHE_DIR);
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), NAME, 'Cache');
  }
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', NAME);
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(home, '.cache'), NAME);
}
