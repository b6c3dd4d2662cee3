/** Binds the plain built-ins `code` names to constants of a block around it (see the .js). */
export function withLocalBuiltins(code: string): string;
