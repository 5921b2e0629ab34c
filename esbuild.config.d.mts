import type { BuildOptions } from 'esbuild';

export const common: BuildOptions;
export function buildZip(options?: {
  quiet?: boolean;
  dist?: string;
  /** A rules document to put into the zip under its own name, with its lists sorted. */
  rules?: string | undefined;
}): Promise<{
  zipPath: string;
  sha256: string;
  size: number;
  files: string[];
}>;
export function buildTools(options?: { dist?: string }): Promise<void>;
export function buildClient(options?: { dist?: string }): Promise<void>;
export function buildCdk(options?: { dist?: string }): Promise<void>;
export function buildPlayground(options?: {
  dist?: string;
  /** The page's script: tools/playground/main.ts unless a test gives another. */
  entry?: string;
}): Promise<{ path: string; size: number }>;
