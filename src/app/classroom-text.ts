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
  tools_label: (title: string) => `Save or share the figure “${title}”`,
  save_svg: () => 'Save SVG',
  save_png: () => 'Save PNG',
  light_for_print: () => 'Light, for print',
  copy_figure_link: () => 'Copy figure link',
  saving: () => 'Saving…',
  saved: (name: string) => `Saved ${name}`,
  save_failed: (reason: string) => `Could not save the figure: ${reason}`,
  link_copied: () => 'Link copied: it opens this figure with the same settings',
  link_blocked: (link: string) => `The clipboard is blocked here; the figure's link is ${link}`,
  embed_open: (chapter: string) => `${chapter} · open in LLaMA Lab`,
};
