import { createApp } from 'vue';
import 'ws-connection'; // defines <ws-connection>
import type {} from 'ws-connection/vue'; // types <ws-connection> in templates, for vue-tsc
import App from './App.vue';

createApp(App).mount('#app');
