// Lets tsc import .vue files; vue-tsc reads them for real.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
