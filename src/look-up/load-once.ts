/**
 * The one load-once helper for the parts of the zip loaded with import(): the first call starts
 * the load, later calls share it, and a failed load is forgotten (so the next sign-up tries again)
 * and reported as ModuleLoadError, a permanent failure whose fix is to deploy the zip as built.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch(() => {
      loading = undefined;
      throw new ModuleLoadError();
    });
    return loading;
  };
}

/** A lazily loaded file of the zip could not be imported. */
class ModuleLoadError extends Error {
  constructor() {
    super('A file of the zip could not be loaded');
    this.name = 'ModuleLoadError';
  }
}

/** The fix logged when a part of the zip cannot be loaded. */
export const MODULE_LOAD_FIX = 'a file of the zip could not be loaded: deploy dist/pre-signup.zip exactly as built';
