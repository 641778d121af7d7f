//! Text from the vault, a provider or an import made safe to show on a terminal or in a desktop
//! notification: control characters and escape sequences are removed, so a name cannot clear the
//! screen, move the cursor, retitle the window or forge lines. It never changes what is stored.

use std::borrow::Cow;

/// For a field shown on one line (a name, an owner, a location): escape sequences and control
/// characters removed, line breaks and tabs shown as one space each.
pub fn one_line(text: &str) -> Cow<'_, str> {
    clean(text, false)
}

/// For text that may span lines (notes, a notification body): as [`one_line`], but `\n` (and a
/// `\r\n` pair) stays a line break.
pub fn multi_line(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

/// For a notification body: [`multi_line`], then `&`, `<` and `>` escaped, so a server that renders
/// body markup shows a name such as `<b>x</b>` as text.
pub fn notification_body(text: &str) -> String {
    let clean = multi_line(text);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters that reorder what follows them (bidirectional overrides and isolates): they can
/// make a line read differently from what it holds.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// What an escape sequence still needs before it ends.
enum Escape {
    /// After ESC: one more character says which kind.
    Start,
    /// A control sequence (ESC [ or CSI): parameters until a final byte in `@`..=`~`.
    Csi,
    /// A string (OSC, DCS, SOS, PM, APC): until BEL or the string terminator (ESC \ or ST).
    Str,
    /// Inside a string, just after an ESC: `\` ends it.
    StrEsc,
}

fn clean(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(needs_cleaning) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut escape: Option<Escape> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        escape = match escape {
            None => match c {
                '\u{1b}' => Some(Escape::Start),
                '\u{9b}' => Some(Escape::Csi),
                '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => Some(Escape::Str),
                '\r' if keep_newlines && chars.peek() == Some(&'\n') => None,
                '\n' if keep_newlines => {
                    out.push('\n');
                    None
                }
                '\n' | '\r' | '\t' => {
                    out.push(' ');
                    None
                }
                c if needs_cleaning(c) => None,
                c => {
                    out.push(c);
                    None
                }
            },
            Some(Escape::Start) => match c {
                '[' => Some(Escape::Csi),
                ']' | 'P' | 'X' | '^' | '_' => Some(Escape::Str),
                // Intermediate bytes (ESC ( B, ESC # 8, …) come before the final one.
                ' '..='/' => Some(Escape::Start),
                _ => None,
            },
            Some(Escape::Csi) => match c {
                '@'..='~' => None,
                // A control character inside a sequence ends it (terminals abandon it too).
                c if needs_cleaning(c) => None,
                _ => Some(Escape::Csi),
            },
            Some(Escape::Str) => match c {
                '\u{7}' | '\u{9c}' => None,
                '\u{1b}' => Some(Escape::StrEsc),
                _ => Some(Escape::Str),
            },
            Some(Escape::StrEsc) => match c {
                '\\' => None,
                _ => Some(Escape::Str),
            },
        };
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_passes_through_unchanged_and_unallocated() {
        assert!(matches!(one_line("deploy bot · ghp_…a1B2 ✓"), Cow::Borrowed("deploy bot · ghp_…a1B2 ✓")));
    }

    #[test]
    fn escape_sequences_are_removed_whole() {
        assert_eq!(one_line("x\u{1b}[2Jy"), "xy", "clear screen");
        assert_eq!(one_line("a\u{1b}[1;31mred\u{1b}[0m"), "ared", "colours");
        assert_eq!(one_line("a\u{1b}]0;owned\u{7}b"), "ab", "window title, BEL-terminated");
        assert_eq!(one_line("a\u{1b}]8;;https://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\b"), "alinkb", "hyperlink");
        assert_eq!(one_line("a\u{1b}Pq#0;2;0;0;0\u{1b}\\b"), "ab", "device control string");
        assert_eq!(one_line("a\u{1b}(Bb\u{1b}cc\u{1b}7d"), "abcd", "two- and three-byte escapes");
        assert_eq!(one_line("a\u{9b}2Jb\u{9d}0;t\u{9c}c"), "abc", "8-bit CSI and OSC");
        assert_eq!(one_line("trailing\u{1b}["), "trailing", "an unfinished sequence");
    }

    #[test]
    fn control_characters_go_and_line_breaks_become_spaces_on_one_line() {
        assert_eq!(one_line("a\u{0}b\u{7}c\u{8}d\u{7f}e\u{85}f"), "abcdef");
        assert_eq!(one_line("line one\nFAKE: line two\r\n"), "line one FAKE: line two  ");
        assert_eq!(one_line("a\tb"), "a b");
        assert_eq!(one_line("safe\u{202e}txt.exe"), "safetxt.exe", "a right-to-left override");
    }

    #[test]
    fn multi_line_text_keeps_its_line_breaks_only() {
        assert_eq!(multi_line("one\r\ntwo\nthree\u{1b}[A\rx"), "one\ntwo\nthree x");
    }

    #[test]
    fn notification_bodies_escape_markup() {
        assert_eq!(notification_body("<b>x</b> & <a href='y'>"), "&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href='y'&gt;");
        assert_eq!(notification_body("a\u{1b}[2J\nb"), "a\nb");
    }
}
