// A function configured for the other instruction set (`Architectures: [arm64]` on an x86
// machine, or the reverse) runs on the host's: the log says so once, and a native module built
// for the configured architecture that fails to load gets a line naming that cause.

import type { Architecture, FunctionConfig } from '../config/functionConfig';
import type { LambdaError } from '../protocol/engineEvents';

/** The host's instruction set in Lambda's words (null: neither of Lambda's). */
export function hostArchitecture(arch: string = process.arch): Architecture | null {
  return arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'arm64' : null;
}

/** The line to log once when the function's architecture is not the host's. */
export function architectureNote(config: FunctionConfig, arch: string = process.arch): string | null {
  const host = hostArchitecture(arch);
  const wanted = config.architecture ?? 'x86_64';
  if (host === null || host === wanted) return null;
  return `Architectures: ${config.name} is configured for ${wanted}; it runs on this machine's ${host} (native modules must be built for ${host} here).`;
}

/** What dlopen and Node say when a .node file is for another machine. */
const FOREIGN_BINARY =
  /\.node\b[\s\S]*(wrong ELF class|invalid ELF header|ELF file's machine|cannot execute binary|Exec format error|incompatible architecture|mach-o file, but is an incompatible architecture|not a valid Win32 application)/i;

/** A line naming the cause when an error is a native module built for another architecture. */
export function foreignNativeModuleNote(
  error: LambdaError | null,
  config: FunctionConfig,
  arch: string = process.arch,
): string | null {
  const text = error ? `${error.errorMessage}\n${error.trace.join('\n')}` : '';
  if (!FOREIGN_BINARY.test(text)) return null;
  const file = /(\S+\.node)\b/.exec(text)?.[1] ?? 'a native module';
  const host = hostArchitecture(arch) ?? arch;
  return `${file} is a native module built for another architecture than this machine's ${host} (the function is configured for ${config.architecture ?? 'x86_64'}). Install or rebuild its package on this machine (npm rebuild) to run it locally.`;
}
