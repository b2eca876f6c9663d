// The scaffold's setup polyfills browser globals; node-environment tests (core, cli) have none to patch.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
