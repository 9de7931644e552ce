// The ids of the adapter's stack frames: one DAP handle per (environment, lifecycle entry)
// shown, from @vscode/debugadapter's Handles, so ids never collide however many entries an
// environment's lifecycle grows to (arithmetic like threadId * 1000 + index did at 1,000).

import { Handles } from '@vscode/debugadapter';

/** What a frame id stands for: an environment's lifecycle entry, counted from the newest. */
export interface FrameRef {
  environmentId: string;
  /** 0 is the phase under way (the top frame). */
  index: number;
}

export class FrameHandles {
  // Never reset: another thread may still be stopped showing frames handed out earlier.
  private readonly handles = new Handles<FrameRef>();

  create(ref: FrameRef): number {
    return this.handles.create(ref);
  }

  get(frameId: number): FrameRef | undefined {
    return this.handles.get(frameId);
  }
}
