//! The tray's side of the channel (a listener and a thread per peer) and the few calls a client
//! needs. Every accepted peer is checked with SO_PEERCRED before a byte of it is read.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{decode, encode, peer_decision, read_line, PeerDecision, ToTray, ToWindow};
use crate::error::{Error, Result};

/// A peer that stops reading is dropped rather than blocking the tray.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// What the server hands its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerEvent {
    Message(ToTray),
    /// A window (a peer that said Hello) disconnected.
    WindowGone,
}

pub type Handler = Arc<dyn Fn(ServerEvent) + Send + Sync>;

/// The listening channel. Windows are the peers that said `Hello`; requests go to all of them.
pub struct Server {
    path: PathBuf,
    windows: Arc<Mutex<Vec<(u64, UnixStream)>>>,
}

impl Server {
    /// Binds the socket at `path` (replacing a stale one: the caller holds the tray's lock) with
    /// mode 0600 and serves it on a thread of its own.
    pub fn start(path: &Path, on_event: Handler) -> Result<Server> {
        let io = |source| Error::Io { path: path.to_path_buf(), source };
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        let listener = UnixListener::bind(path).map_err(io)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        let windows: Arc<Mutex<Vec<(u64, UnixStream)>>> = Arc::default();
        let own_uid = rustix::process::getuid().as_raw();
        let shared = Arc::clone(&windows);
        std::thread::spawn(move || {
            let next = AtomicU64::new(1);
            for stream in listener.incoming().flatten() {
                let (windows, on_event) = (Arc::clone(&shared), Arc::clone(&on_event));
                let id = next.fetch_add(1, Ordering::Relaxed);
                std::thread::spawn(move || serve_peer(stream, id, own_uid, &windows, &on_event));
            }
        });
        Ok(Server { path: path.to_path_buf(), windows })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a window process is connected.
    pub fn has_window(&self) -> bool {
        !lock(&self.windows).is_empty()
    }

    /// Sends `message` to every connected window; false when none took it.
    pub fn send(&self, message: &ToWindow) -> bool {
        let line = encode(message);
        let mut windows = lock(&self.windows);
        windows.retain_mut(|(_, stream)| stream.write_all(line.as_bytes()).is_ok());
        !windows.is_empty()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn refuse(stream: &mut UnixStream, message: &str) {
    let _ = stream.write_all(encode(&ToWindow::Error { message: message.to_owned() }).as_bytes());
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn serve_peer(
    mut stream: UnixStream,
    id: u64,
    own_uid: u32,
    windows: &Mutex<Vec<(u64, UnixStream)>>,
    on_event: &Handler,
) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let peer = rustix::net::sockopt::socket_peercred(&stream).ok().map(|c| c.uid.as_raw());
    if let PeerDecision::Refuse(why) = peer_decision(own_uid, peer) {
        eprintln!("tokenwarden-tray: channel: {why}");
        refuse(&mut stream, &why);
        return;
    }
    let Ok(reading) = stream.try_clone() else { return };
    let mut reader = BufReader::new(reading);
    let mut window = false;
    loop {
        let message = match read_line(&mut reader) {
            Ok(None) => break,
            Ok(Some(line)) => decode::<ToTray>(&line),
            Err(error) => Err(error),
        };
        match message {
            Ok(message) => {
                if matches!(message, ToTray::Hello { .. }) && !window {
                    if let Ok(writer) = stream.try_clone() {
                        lock(windows).push((id, writer));
                        window = true;
                    }
                }
                on_event(ServerEvent::Message(message));
            }
            Err(_) => {
                // The peer is our own user, but its line is not shown back: a fixed answer.
                refuse(&mut stream, "malformed or oversized message: closing");
                break;
            }
        }
    }
    if window {
        lock(windows).retain(|(other, _)| *other != id);
        on_event(ServerEvent::WindowGone);
    }
}

/// Connects to the tray's socket at `path`.
pub fn connect(path: &Path) -> Result<UnixStream> {
    UnixStream::connect(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Writes one message as a line.
pub fn send_message<W: Write, T: Serialize>(writer: &mut W, message: &T) -> Result<()> {
    writer
        .write_all(encode(message).as_bytes())
        .map_err(|source| Error::Io { path: PathBuf::from("<channel>"), source })
}

/// Reads one message; `Ok(None)` when the other side closed.
pub fn read_message<R: BufRead, T: DeserializeOwned>(reader: &mut R) -> Result<Option<T>> {
    match read_line(reader)? {
        None => Ok(None),
        Some(line) => decode(&line).map(Some),
    }
}
