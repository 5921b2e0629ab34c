export function buildIsStale(): boolean;
export function ensureBuilt(): Promise<void>;
export function ensureToolsBuilt(): Promise<void>;
