export const ZIP_PATH: string;
export const LAMBDA_DIR: string;
export function buildIsStale(): boolean;
export function ensureBuilt(): Promise<void>;
