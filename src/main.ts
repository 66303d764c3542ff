// Entry point: global styles, the theme applied before the first paint, then the shell.
import { mount } from 'svelte';
import './app/styles.css';
import { theme } from './app/theme.svelte.ts';
import App from './app/App.svelte';
import { offline } from './app/offline.svelte.ts';
import { locale } from './lib/i18n/locale.svelte.ts';

theme.apply();
locale.init();
const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');
mount(App, { target });
offline.start();
