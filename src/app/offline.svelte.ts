// The offline copy: registers the service worker that vite-plugin-pwa (Workbox) generates at
// build time, and tells the page whether it runs without a network, whether the copy is ready
// and whether a new version is waiting (it is applied only when the reader asks).
import { registerSW } from 'virtual:pwa-register';

class OfflineState {
  /** navigator.onLine, kept current. */
  online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** A new build is installed and waits for the reader's click. */
  needRefresh = $state(false);
  /** The whole build has just been saved for offline use (first visit). */
  offlineReady = $state(false);
  #update: ((reload?: boolean) => Promise<void>) | null = null;

  start(): void {
    addEventListener('online', () => (this.online = true));
    addEventListener('offline', () => (this.online = false));
    if (!('serviceWorker' in navigator)) return;
    this.#update = registerSW({
      immediate: true,
      onNeedRefresh: () => (this.needRefresh = true),
      onOfflineReady: () => {
        this.offlineReady = true;
        document.documentElement.dataset.offlineReady = 'true';
      },
      onRegisterError: (e: unknown) => console.warn('offline copy not available:', e),
    });
  }

  /** Activate the waiting version and reload into it. */
  async update(): Promise<void> {
    this.needRefresh = false;
    await this.#update?.(true);
  }

  dismiss(): void {
    this.needRefresh = false;
    this.offlineReady = false;
  }
}

export const offline = new OfflineState();
