// The VS Code webview API as a page sees it, typed by the messages of one boundary
// (src/protocol/webviewProtocol.ts): what the page posts and what it keeps across reloads.

export interface WebviewApi<State, Message> {
  postMessage(message: Message): void;
  /** What setState kept (null or undefined when nothing was). */
  getState(): State | null | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi(): WebviewApi<unknown, unknown>;

/** The page's API; call once (VS Code refuses a second acquireVsCodeApi). */
export function webviewApi<State, Message>(): WebviewApi<State, Message> {
  return acquireVsCodeApi() as WebviewApi<State, Message>;
}

/** Listens to the extension's messages of type `Message`. */
export function onMessage<Message>(listener: (message: Message) => void): void {
  window.addEventListener('message', (event: MessageEvent<Message>) => listener(event.data));
}
