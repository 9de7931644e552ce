// The runtime's copy of the AWS SDK inside the Node runtime (Lambda's /var/runtime/node_modules,
// here a folder of the per-user cache that the engine filled for the function): CommonJS
// finds it through NODE_PATH; ES module imports, which ignore NODE_PATH, fall back to it in
// the loader hooks (registered only when the function needs them, timed as our own work);
// a package that could not be installed says why in Runtime.ImportModuleError.

import type { RuntimeModules } from '../../protocol/sandbox';

let modules: RuntimeModules | null = null;

export function useRuntimeModules(prepared: RuntimeModules | null | undefined): void {
  modules = prepared ?? null;
}

/** The folder ES module imports fall back to, when the function imports from it. */
export function esmFallbackDir(): string | null {
  return modules && modules.used.length > 0 && !modules.unavailable ? modules.dir : null;
}

/** An import error's message, with why the runtime's copy lacks the package when it does. */
export function explainImportError(message: string): string {
  if (!modules?.unavailable) return message;
  const missing = modules.used.find((name) => message.includes(`'${name}'`) || message.includes(`"${name}"`));
  return missing ? `${message}\n${modules.unavailable}` : message;
}
