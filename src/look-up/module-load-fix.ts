/**
 * The fix logged when a lazily loaded file of the zip cannot be imported. Shared by the loader in
 * the entry (on-first-use.ts) and the lazy lookups (lookup-failure.ts), which cannot import each
 * other's code: the entry may import nothing from ./lazy/ but types.
 */
export const MODULE_LOAD_FIX = 'a file of the zip could not be loaded: deploy dist/pre-signup.zip exactly as built';
