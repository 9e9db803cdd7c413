// Pure modules take the translator as a parameter so they stay testable without VS Code;
// the extension passes `vscode.l10n.t`, which has this shape (`{0}` placeholders).
export type Translate = (message: string, ...args: Array<string | number | boolean>) => string;
