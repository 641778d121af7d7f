//! Writing files so that a crash leaves either the old or the new contents, never half of each:
//! temp file in the same folder, fsync, rename, fsync the folder. Files are private (0600).
//! Also where an export may go: never into the vault's own folder or a dot-folder of the home.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Creates `dir` (and parents) readable only by the user.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(Error::io(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(Error::io(dir))?;
    }
    Ok(())
}

/// Replaces `path` with `bytes` atomically. With `overwrite == false` an existing file is an
/// error, and stays so even if the file appears while this runs: the final rename refuses to
/// replace (RENAME_NOREPLACE, or a hard link where the file system lacks it).
pub fn write_atomic(path: &Path, bytes: &[u8], overwrite: bool) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    // An early, friendly answer; the rename below is what actually guarantees it.
    if !overwrite && path.exists() {
        return Err(exists(path));
    }
    let temp = write_temp(dir, path, bytes)?;
    let result = publish(&temp, path, overwrite).and_then(|()| sync_dir(dir));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Where an export to `path` really lands, after resolving `..` and symlinks, refused when that
/// is inside the vault's folder (`vault_dir`) or inside a dot-file or dot-folder of the home
/// directory (`~/.ssh`, `~/.config`, `~/.bashrc`, …): an export there could plant a file that
/// the vault, a shell or another program would trust. The folder must exist.
pub fn check_export_target(path: &Path, vault_dir: &Path) -> Result<PathBuf> {
    check_export_target_in(path, vault_dir, dirs::home_dir().as_deref())
}

fn check_export_target_in(path: &Path, vault_dir: &Path, home: Option<&Path>) -> Result<PathBuf> {
    let Some(name) = path.file_name() else {
        return Err(Error::invalid("path", format!("{} is not a file name", path.display())));
    };
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    let folder = fs::canonicalize(parent).map_err(Error::io(parent))?;
    let target = folder.join(name);
    // An existing file may itself be a symlink into a refused place: judge where it points too.
    let pointed = fs::canonicalize(&target).ok();
    for candidate in std::iter::once(&target).chain(pointed.as_ref()) {
        if let Some(problem) = refused_place(candidate, vault_dir, home) {
            return Err(Error::invalid("path", format!("{} {problem}; choose another folder", path.display())));
        }
    }
    Ok(target)
}

fn refused_place(target: &Path, vault_dir: &Path, home: Option<&Path>) -> Option<&'static str> {
    let vault = fs::canonicalize(vault_dir).unwrap_or_else(|_| vault_dir.to_owned());
    if target.starts_with(&vault) {
        return Some("is inside the vault's own folder");
    }
    let home = home.map(|h| fs::canonicalize(h).unwrap_or_else(|_| h.to_owned()))?;
    let first = target.strip_prefix(&home).ok()?.components().next()?;
    match first {
        Component::Normal(part) if part.to_string_lossy().starts_with('.') => {
            Some("is in a hidden folder of your home directory (where settings and keys live)")
        }
        _ => None,
    }
}

fn exists(path: &Path) -> Error {
    Error::invalid("output", format!("{} already exists; pass --force to replace it", path.display()))
}

/// Writes `bytes` to a new private temp file beside `path`, synced; returns its path.
fn write_temp(dir: &Path, path: &Path, bytes: &[u8]) -> Result<std::path::PathBuf> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nonce = hex::encode(crate::crypto::random_bytes::<6>());
    let temp = dir.join(format!(".{file_name}.{nonce}.tmp"));
    let written = (|| {
        let mut file = open_private(&temp)?;
        file.write_all(bytes).map_err(Error::io(&temp))?;
        file.sync_all().map_err(Error::io(&temp))
    })();
    if let Err(err) = written {
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    Ok(temp)
}

/// Moves the finished temp file to `path`. Without `overwrite`, never replaces a file that is
/// there, however late it appeared.
fn publish(temp: &Path, path: &Path, overwrite: bool) -> Result<()> {
    if overwrite {
        return fs::rename(temp, path).map_err(Error::io(path));
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, temp, CWD, path, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::EXIST) => return Err(exists(path)),
            // Not supported by this file system: fall back to a hard link, which is no-replace too.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS | rustix::io::Errno::OPNOTSUPP) => {}
            Err(e) => return Err(Error::io(path)(std::io::Error::from(e))),
        }
    }
    match fs::hard_link(temp, path) {
        Ok(()) => fs::remove_file(temp).map_err(Error::io(temp)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(path)),
        Err(e) => Err(Error::io(path)(e)),
    }
}

fn open_private(path: &Path) -> Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map_err(Error::io(path))
}

fn sync_dir(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    File::open(dir).and_then(|d| d.sync_all()).map_err(Error::io(dir))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_contents_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomic(&path, b"one", false).unwrap();
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_refuses_to_overwrite_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        write_atomic(&path, b"one", false).unwrap();
        let err = write_atomic(&path, b"two", false).unwrap_err();
        assert!(err.to_string().contains("--force"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"one");
    }

    #[test]
    fn a_file_that_appears_before_the_rename_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        let temp = write_temp(dir.path(), &path, b"ours").unwrap();
        // Someone else creates the file after the early check, before the rename.
        fs::write(&path, b"theirs").unwrap();
        let err = publish(&temp, &path, false).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"theirs");
        // With --force it is replaced, as asked.
        publish(&temp, &path, true).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"ours");
    }

    /// A fake home with a vault folder, a dot-folder and an ordinary one.
    fn places() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let home = root.path().join("home");
        let vault = home.join(".local/share/tokenwarden");
        for dir in [&vault, &home.join(".config"), &home.join(".ssh"), &home.join("Documents")] {
            fs::create_dir_all(dir).unwrap();
        }
        (root, home, vault)
    }

    #[test]
    fn exports_into_the_vault_folder_are_refused() {
        let (_root, home, vault) = places();
        let err = check_export_target_in(&vault.join("out.csv"), &vault, Some(&home)).unwrap_err();
        assert!(err.to_string().contains("vault's own folder"), "{err}");
        // A vault outside the home is refused too.
        let elsewhere = tempfile::tempdir().unwrap();
        let err = check_export_target_in(&elsewhere.path().join("x.json"), elsewhere.path(), Some(&home)).unwrap_err();
        assert!(err.to_string().contains("vault's own folder"), "{err}");
    }

    #[test]
    fn exports_into_home_dot_folders_and_dot_files_are_refused() {
        let (_root, home, vault) = places();
        for path in [home.join(".config/x"), home.join(".ssh/authorized_keys"), home.join(".bashrc")] {
            let err = check_export_target_in(&path, &vault, Some(&home)).unwrap_err();
            assert!(err.to_string().contains("hidden folder"), "{}: {err}", path.display());
        }
    }

    #[test]
    fn dot_dot_cannot_get_around_the_refusal() {
        let (_root, home, vault) = places();
        let sneaky = home.join("Documents/../.config/x");
        let err = check_export_target_in(&sneaky, &vault, Some(&home)).unwrap_err();
        assert!(err.to_string().contains("hidden folder"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_cannot_get_around_the_refusal() {
        let (_root, home, vault) = places();
        // A harmless-looking folder that is a link to ~/.ssh, and one that links to the vault.
        std::os::unix::fs::symlink(home.join(".ssh"), home.join("Documents/keys")).unwrap();
        std::os::unix::fs::symlink(&vault, home.join("Documents/v")).unwrap();
        let err =
            check_export_target_in(&home.join("Documents/keys/authorized_keys"), &vault, Some(&home)).unwrap_err();
        assert!(err.to_string().contains("hidden folder"), "{err}");
        let err = check_export_target_in(&home.join("Documents/v/x.csv"), &vault, Some(&home)).unwrap_err();
        assert!(err.to_string().contains("vault's own folder"), "{err}");
        // An existing file that is a link into a dot-folder.
        std::os::unix::fs::symlink(home.join(".config/x"), home.join("Documents/link.csv")).unwrap();
        fs::write(home.join(".config/x"), b"").unwrap();
        let err = check_export_target_in(&home.join("Documents/link.csv"), &vault, Some(&home)).unwrap_err();
        assert!(err.to_string().contains("hidden folder"), "{err}");
    }

    #[test]
    fn ordinary_folders_are_allowed_and_resolved() {
        let (_root, home, vault) = places();
        let ok = check_export_target_in(&home.join("Documents/../Documents/out.csv"), &vault, Some(&home)).unwrap();
        assert_eq!(ok, fs::canonicalize(home.join("Documents")).unwrap().join("out.csv"));
        // A dot in a deeper folder is fine: only the home's own dot-entries are refused.
        fs::create_dir_all(home.join("Documents/.hidden")).unwrap();
        check_export_target_in(&home.join("Documents/.hidden/out.csv"), &vault, Some(&home)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        write_atomic(&path, b"x", false).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
