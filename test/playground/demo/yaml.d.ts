// scripts/playground.mjs bundles `.yaml` files as text (esbuild loader 'text').
declare module '*.yaml' {
  const text: string;
  export default text;
}
