/** Loaded on use by the commands that need it (a dynamic import of an alias is not rewritten by the build). */
export * from '@rapport/privacy';
