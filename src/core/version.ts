/** Replaced at build time for the CLI bundle; falls back for tests run from source. */
declare const __MESH_AUDIT_VERSION__: string | undefined;
export const VERSION: string = typeof __MESH_AUDIT_VERSION__ === 'string' ? __MESH_AUDIT_VERSION__ : '0.0.0-dev';
