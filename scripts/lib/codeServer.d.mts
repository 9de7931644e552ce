// Types of codeServer.mjs for the TypeScript tests that use it.
export declare const projectRoot: string;
export interface CodeServerTools {
  entry: string;
  playwright: string;
  chromium: string;
}
export declare function codeServerTools(): CodeServerTools;
export declare function buildExtensionTests(): Promise<string>;
export declare function packageExtension(): Promise<string>;
