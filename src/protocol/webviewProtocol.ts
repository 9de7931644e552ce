// Messages between the extension and the state panel (a webview), both ways. The panel
// is fed engine events as they happen (no polling) and asks for invokes and shutdowns.

import type { EngineEvent } from './engineEvents';

export interface PanelFunction {
  functionName: string;
  memorySizeMB: number;
  ephemeralStorageMB: number;
  timeoutSeconds: number;
}

/** Extension → panel. */
export type ToPanel =
  /** A (new) session: forget what was shown, show this function. */
  | { type: 'session'; fn: PanelFunction }
  | { type: 'engine'; event: EngineEvent }
  /** The session ended: the panel keeps the last state, marked as ended. */
  | { type: 'ended' };

/** Panel → extension. */
export type FromPanel =
  | { type: 'ready' }
  | { type: 'invoke'; cold: boolean }
  | { type: 'invokeWithEvent' }
  | { type: 'shutdown'; environmentId: string }
  | { type: 'openTmpFile'; environmentId: string; path: string };
