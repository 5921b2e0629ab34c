export declare const PROJECT_ROOT: string;
export declare const DIST_DIR: string;
export declare const LAMBDA_DIR: string;
export declare const ZIP_PATH: string;
export declare const ENTRY_META_PATH: string;
export declare const TOOLS_DIST_DIR: string;
export declare const EVENTS_DIR: string;
export declare const NODE_MODULES: string;
