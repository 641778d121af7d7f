//! One tray per vault: the tray holds an exclusive `flock` on a file in its private runtime folder
//! for as long as it runs; the kernel drops it when the process ends, however it ends.

use std::fs::File;
use std::path::Path;

/// The held lock (`Ok(None)`: another tray of this vault holds it).
pub fn acquire(path: &Path) -> std::io::Result<Option<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new().create(true).truncate(false).write(true).mode(0o600).open(path)?;
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => Ok(Some(file)),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(None),
        Err(errno) => Err(errno.into()),
    }
}
