// Ambient declarations for the webview scripts. The engine's types name Node's Buffer (an
// invocation's raw response bytes); such a value reaches a webview as JSON and is never
// read there, so in the browser it is only a byte array.

type Buffer = Uint8Array;
