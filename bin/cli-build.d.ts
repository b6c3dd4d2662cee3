export declare const CLI_ENTRY: string;
export declare const ROOT: string;
export declare function cliBuildIsCurrent(): boolean;
export declare function ensureCliBuilt(say?: (text: string) => void): void;
