//! "Start at login" on a freedesktop desktop: the XDG autostart entry of the tray process.
//!
//! One file decides, `tokenwarden-tray.desktop`. The `.deb` installs it system-wide in
//! `/etc/xdg/autostart`; a user's own file of the same name in `$XDG_CONFIG_HOME/autostart`
//! overrides it (the XDG autostart rule), so the setting writes that user file: a start entry when
//! on, one marked `Hidden=true` when off. Without a user file, the system entry (if any) decides.
//! So what Settings shows is what the session will do at the next login.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The entry's file name, the same system-wide and per user.
pub const ENTRY: &str = "tokenwarden-tray.desktop";

/// Where autostart entries live: the user's config home and the system's config dirs, in order.
#[derive(Debug, Clone)]
pub struct Places {
    pub user: PathBuf,
    pub system: Vec<PathBuf>,
}

impl Places {
    /// From `$XDG_CONFIG_HOME` (else `~/.config`) and `$XDG_CONFIG_DIRS` (else `/etc/xdg`).
    pub fn from_env() -> Places {
        let user = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(dirs::config_dir)
            .unwrap_or_else(|| PathBuf::from(".config"));
        let system = std::env::var("XDG_CONFIG_DIRS")
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| v.split(':').filter(|d| !d.is_empty()).map(PathBuf::from).collect())
            .unwrap_or_else(|| vec![PathBuf::from("/etc/xdg")]);
        Places { user, system }
    }

    fn user_entry(&self) -> PathBuf {
        self.user.join("autostart").join(ENTRY)
    }
}

/// Whether the tray starts at the next login: the user's entry if there is one, else the first
/// system entry found.
pub fn enabled(places: &Places) -> bool {
    let found = std::iter::once(places.user_entry())
        .chain(places.system.iter().map(|d| d.join("autostart").join(ENTRY)))
        .find_map(|path| std::fs::read_to_string(path).ok());
    found.is_some_and(|text| starts(&text))
}

/// Turns starting at login on (an entry running `tray_exe --autostart`) or off (an entry hiding
/// any system-wide one), in the user's autostart folder. Written whole or not at all.
pub fn set(places: &Places, on: bool, tray_exe: &Path) -> std::io::Result<()> {
    let path = places.user_entry();
    let folder = path.parent().unwrap_or(&places.user);
    std::fs::create_dir_all(folder)?;
    let partial = folder.join(format!(".{ENTRY}.partial"));
    let mut file = std::fs::File::create(&partial)?;
    file.write_all(entry(on, tray_exe).as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&partial, &path)
}

/// The text of the user's entry.
fn entry(on: bool, tray_exe: &Path) -> String {
    let mut text = String::from(
        "[Desktop Entry]\nType=Application\nName=Tokenwarden tray\n\
         Comment=Token expiry reminders and the Tokenwarden tray icon\nIcon=tokenwarden\nTerminal=false\nNoDisplay=true\n",
    );
    text.push_str(&format!("Exec={} --autostart\n", exec_arg(&tray_exe.to_string_lossy())));
    if on {
        text.push_str("X-GNOME-Autostart-enabled=true\n");
    } else {
        // Hidden: as if the entry did not exist, the system-wide one included.
        text.push_str("Hidden=true\nX-GNOME-Autostart-enabled=false\n");
    }
    text
}

/// Whether an entry's text says to start: not `Hidden=true`, not `X-GNOME-Autostart-enabled=false`.
fn starts(text: &str) -> bool {
    let value = |key: &str| {
        text.lines().find_map(|line| line.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')).map(str::trim))
    };
    value("Hidden") != Some("true") && value("X-GNOME-Autostart-enabled") != Some("false")
}

/// A program path as one argument of an `Exec` key: as it is when it has only plain characters,
/// else quoted with the characters the Desktop Entry spec reserves inside quotes escaped (and the
/// backslash doubled again, as every string value's escapes are read first).
fn exec_arg(path: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+".contains(c);
    if !path.is_empty() && path.chars().all(plain) {
        return path.to_owned();
    }
    let mut quoted = String::from("\"");
    for c in path.chars() {
        match c {
            '"' | '`' | '$' => {
                quoted.push_str("\\\\");
                quoted.push(c);
            }
            '\\' => quoted.push_str("\\\\\\\\"),
            '\n' | '\r' => {}
            _ => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(root: &Path) -> Places {
        Places { user: root.join("home-config"), system: vec![root.join("etc-xdg")] }
    }

    fn install_system_entry(p: &Places) {
        let folder = p.system[0].join("autostart");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(ENTRY), "[Desktop Entry]\nType=Application\nExec=tokenwarden-tray --autostart\n")
            .unwrap();
    }

    #[test]
    fn off_without_any_entry_and_on_with_the_packages_system_entry() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        assert!(!enabled(&p));
        install_system_entry(&p);
        assert!(enabled(&p), "the package's login entry starts the tray");
    }

    #[test]
    fn turning_it_off_hides_the_system_entry_and_on_brings_it_back() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        install_system_entry(&p);
        set(&p, false, Path::new("/usr/bin/tokenwarden-tray")).unwrap();
        assert!(!enabled(&p), "the user's Hidden entry overrides the system one");
        let text = std::fs::read_to_string(p.user.join("autostart").join(ENTRY)).unwrap();
        assert!(text.contains("\nHidden=true\n"), "{text}");
        set(&p, true, Path::new("/usr/bin/tokenwarden-tray")).unwrap();
        assert!(enabled(&p));
        let text = std::fs::read_to_string(p.user.join("autostart").join(ENTRY)).unwrap();
        assert!(text.contains("\nExec=/usr/bin/tokenwarden-tray --autostart\n"), "{text}");
        assert!(!text.contains("Hidden"), "{text}");
    }

    #[test]
    fn on_without_a_package_starts_the_tray_beside_the_app() {
        let root = tempfile::tempdir().unwrap();
        let p = places(root.path());
        set(&p, true, Path::new("/opt/tw/tokenwarden-tray")).unwrap();
        assert!(enabled(&p));
        set(&p, false, Path::new("/opt/tw/tokenwarden-tray")).unwrap();
        assert!(!enabled(&p));
    }

    #[test]
    fn a_path_with_spaces_or_reserved_characters_is_one_quoted_argument() {
        assert_eq!(exec_arg("/usr/bin/tokenwarden-tray"), "/usr/bin/tokenwarden-tray");
        assert_eq!(exec_arg("/home/a b/tw"), "\"/home/a b/tw\"");
        assert_eq!(exec_arg("/x/$HOME\"q"), "\"/x/\\\\$HOME\\\\\"q\"");
        assert_eq!(exec_arg("/x\ny"), "\"/xy\"", "a line break cannot end the key early");
    }
}
