// Reader-facing strings of the classroom tools (offline copy, figure export, embedding): the
// Paraglide messages with keys classroom_* (messages/en.json, messages/zh-TW.json). Functions, so
// each is read in the current locale when it is rendered.
import { m } from '../paraglide/messages.js';

export const t = {
  offline_badge: () => m.classroom_offline_badge(),
  offline_title: () => m.classroom_offline_title(),
  offline_ready: () => m.classroom_offline_ready(),
  update_ready: () => m.classroom_update_ready(),
  update_button: () => m.classroom_update_button(),
  update_later: () => m.classroom_update_later(),
  ok: () => m.classroom_ok(),
  tools_label: (title: string) => m.classroom_tools_label({ title }),
  save_svg: () => m.classroom_save_svg(),
  save_png: () => m.classroom_save_png(),
  light_for_print: () => m.classroom_light_for_print(),
  copy_figure_link: () => m.classroom_copy_figure_link(),
  saving: () => m.classroom_saving(),
  saved: (name: string) => m.classroom_saved({ name }),
  save_failed: (reason: string) => m.classroom_save_failed({ reason }),
  link_copied: () => m.classroom_link_copied(),
  link_blocked: (link: string) => m.classroom_link_blocked({ link }),
  embed_open: (chapter: string) => m.classroom_embed_open({ chapter }),
};
