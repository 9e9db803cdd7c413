// Pure modules take the translator as a parameter so they stay testable without VS Code;
// the extension passes `vscode.l10n.t`, which has this shape (`{0}` placeholders).
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;

/** English fallback used by the CLI-style pseudoterminal tests and unit tests. */
export const english: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (whole, i: string) => (args[Number(i)] === undefined ? whole : String(args[Number(i)])));
