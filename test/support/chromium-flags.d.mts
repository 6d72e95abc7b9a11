/** Debian's Chromium; never a downloaded browser. */
export declare const CHROMIUM: string;
/** Flags shared by component tests, end-to-end tests and benchmarks. */
export declare const CHROMIUM_ARGS: readonly string[];
