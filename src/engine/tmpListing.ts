// The listing of an environment's /tmp for state snapshots: every entry as the function
// sees it (paths under /tmp, files, folders, symbolic links not followed), and the bytes
// its files use (counted past the listing's cap too).

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TmpEntry } from '../protocol/engineEvents';

export interface TmpListing {
  entries: TmpEntry[];
  usedBytes: number;
}

/** Lists the host folder `tmpDir` as /tmp, keeping at most `limit` entries. */
export function listTmp(tmpDir: string, limit = 2000): TmpListing {
  const entries: TmpEntry[] = [];
  let usedBytes = 0;
  const walk = (dir: string) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const dirent of names) {
      const real = path.join(dir, dirent.name);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(real);
      } catch {
        continue;
      }
      const type = stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : 'file';
      if (type === 'file') usedBytes += stat.size;
      if (entries.length < limit) {
        entries.push({
          path: '/tmp' + real.slice(tmpDir.length).split(path.sep).join('/'),
          type,
          sizeBytes: type === 'file' ? stat.size : 0,
          modifiedMs: stat.mtimeMs,
        });
      }
      if (type === 'directory') walk(real);
    }
  };
  walk(tmpDir);
  return { entries, usedBytes };
}
