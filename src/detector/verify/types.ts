/** Result of a verification function: a plain boolean, or validity with a graded confidence (0..1). */
export type VerifyResult = boolean | { valid: boolean; confidence?: number }
/**
 * A verification function receives the matched text exactly as found and normalises it itself. It
 * must be a function of that value alone: a scan asks it once per distinct value (see VerdictMemo).
 */
export type Verifier = (value: string) => VerifyResult
