// Generates custom-elements.json from the element's source and JSDoc at build time,
// for IDEs, Storybook and docs tools (package.json points at it through "customElements").
export default {
  globs: ['src/ws-connection-element.ts'],
  outdir: '.',
  packagejson: true,
};
