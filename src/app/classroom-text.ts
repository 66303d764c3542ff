// Reader-facing strings of the classroom tools (offline copy, figure export, embedding), in one
// place until they become Paraglide messages (classroom_* keys). Functions, so each is read when
// it is rendered.
export const t = {
  offline_badge: () => 'Offline',
  offline_title: () => 'No network: the notebook runs from the copy saved on this device',
  offline_ready: () => 'Saved for offline use: the notebook now works without a network.',
  update_ready: () => 'A new version of LLaMA Lab is ready.',
  update_button: () => 'Update',
  update_later: () => 'Later',
  ok: () => 'OK',
};
