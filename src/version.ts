/** The tool's version, as package.json says (test/version.test.ts keeps them equal); recorded with every result. */
export const TOOL_VERSION = '0.1.0';
