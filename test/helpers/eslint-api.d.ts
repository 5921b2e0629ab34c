// ESLint 9.9 ships no types; this is the part of its Node API that test/lint-layers.test.ts uses.
declare module 'eslint' {
  interface LintMessage {
    readonly ruleId: string | null;
    readonly message: string;
  }
  interface LintResult {
    readonly messages: readonly LintMessage[];
  }
  export class ESLint {
    constructor(options?: { readonly overrideConfig?: unknown });
    lintText(code: string, options: { readonly filePath: string }): Promise<LintResult[]>;
  }
}
