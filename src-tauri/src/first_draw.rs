//! The window does not draw its web view until the page has loaded.
//!
//! WebKitGTK 2.50 stalls the window process for 500 ms in about one start in five: GTK's first
//! draw of the view, when it comes after the web process has started but before the view has its
//! first composited frame, makes WebKit ask the web process for a non-composited update
//! (`DrawingAreaProxyCoordinatedGraphics::forceUpdateIfNeeded`) and wait up to 500 ms for one that,
//! at that point, does not come. So the window is built hidden; a `draw` handler that stops the
//! signal before WebKit's own is connected to the view, and only then is the window shown. Once
//! the page has loaded (its first frame is out by then: the first contentful paint comes 20–30 ms
//! after navigation starts, the load event 40–60 ms after) the handler goes and the view is drawn.
//! Until then the window shows its empty frame, as it did while WebKit had nothing to draw.

use std::sync::Mutex;
use tauri::{Manager, Runtime, WebviewWindow};

/// The handler holding the main window's drawing, while it is held.
#[derive(Default)]
pub struct DrawHold(Mutex<Option<gtk::glib::SignalHandlerId>>);

impl DrawHold {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<gtk::glib::SignalHandlerId>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// How long the drawing stays held for a page that never finishes loading.
const AT_MOST: std::time::Duration = std::time::Duration::from_secs(2);

/// For a window built hidden: holds its web view's drawing, then shows it. The hold ends when
/// the page has loaded (`release`), or after `AT_MOST`.
pub fn hold_then_show<R: Runtime>(window: &WebviewWindow<R>) {
    let shown = window.clone();
    let held = window.with_webview(move |platform| {
        use gtk::prelude::WidgetExt;
        let id = platform.inner().connect_draw(|_, _| gtk::glib::Propagation::Stop);
        // A hold left from a window a lock closed went with that window's view.
        *shown.state::<DrawHold>().slot() = Some(id);
        let _ = shown.show();
    });
    if held.is_err() {
        let _ = window.show();
        return;
    }
    let late = window.clone();
    std::thread::spawn(move || {
        std::thread::sleep(AT_MOST);
        release(&late);
    });
}

/// Once the page has loaded: the view draws again, at once.
pub fn release<R: Runtime>(window: &WebviewWindow<R>) {
    let handle = window.clone();
    let _ = window.with_webview(move |platform| {
        use gtk::prelude::{ObjectExt, WidgetExt};
        if let Some(id) = handle.state::<DrawHold>().slot().take() {
            platform.inner().disconnect(id);
            platform.inner().queue_draw();
        }
    });
}
