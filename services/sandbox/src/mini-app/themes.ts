/** A Telegram client's colours as a Mini App gets them (ThemeParams, snake_case keys, #RRGGBB). */
export type ThemeParams = Record<
  | 'bg_color'
  | 'text_color'
  | 'hint_color'
  | 'link_color'
  | 'button_color'
  | 'button_text_color'
  | 'secondary_bg_color'
  | 'header_bg_color'
  | 'bottom_bar_bg_color'
  | 'accent_text_color'
  | 'section_bg_color'
  | 'section_header_text_color'
  | 'section_separator_color'
  | 'subtitle_text_color'
  | 'destructive_text_color',
  string
>;

export const themeNames = ['light', 'dark'] as const;
export type ThemeName = (typeof themeNames)[number];

/** The web chat's two looks, in the colours of Telegram's web client. */
export const THEMES: Record<ThemeName, ThemeParams> = {
  light: {
    bg_color: '#ffffff',
    text_color: '#000000',
    hint_color: '#707579',
    link_color: '#3390ec',
    button_color: '#3390ec',
    button_text_color: '#ffffff',
    secondary_bg_color: '#f4f4f5',
    header_bg_color: '#ffffff',
    bottom_bar_bg_color: '#ffffff',
    accent_text_color: '#3390ec',
    section_bg_color: '#ffffff',
    section_header_text_color: '#3390ec',
    section_separator_color: '#e7e7e7',
    subtitle_text_color: '#707579',
    destructive_text_color: '#e53935',
  },
  dark: {
    bg_color: '#212121',
    text_color: '#ffffff',
    hint_color: '#aaaaaa',
    link_color: '#8774e1',
    button_color: '#8774e1',
    button_text_color: '#ffffff',
    secondary_bg_color: '#0f0f0f',
    header_bg_color: '#212121',
    bottom_bar_bg_color: '#212121',
    accent_text_color: '#8774e1',
    section_bg_color: '#212121',
    section_header_text_color: '#8774e1',
    section_separator_color: '#3d3d3d',
    subtitle_text_color: '#aaaaaa',
    destructive_text_color: '#ee686f',
  },
};
