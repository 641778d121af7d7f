//! The tray icon drawn with Tauri's tray, acting on its menu. The model it draws (icon state,
//! tooltip, items) is the core's `reminders::tray_menu`, shared with the tray process.

use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Runtime};
pub use tokenwarden_core::reminders::tray_menu::{
    menu_model, with_alerts, TrayIconState, TrayItem, TrayModel, MENU_TOKENS,
};

use crate::window;

const TRAY_ID: &str = "main";
const TOKEN_PREFIX: &str = "token:";

fn icon(state: TrayIconState) -> Image<'static> {
    match state {
        TrayIconState::Normal => tauri::include_image!("../icons/tray-normal.png"),
        TrayIconState::Attention => tauri::include_image!("../icons/tray-attention.png"),
        TrayIconState::Locked => tauri::include_image!("../icons/tray-locked.png"),
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<Menu<R>> {
    let mut built: Vec<Box<dyn IsMenuItem<R>>> = Vec::new();
    for item in &model.items {
        built.push(match item {
            TrayItem::Token { id, label } => {
                Box::new(MenuItem::with_id(app, format!("{TOKEN_PREFIX}{id}"), label, true, None::<&str>)?)
            }
            TrayItem::Note(label) => Box::new(MenuItem::new(app, label, false, None::<&str>)?),
            TrayItem::Separator => Box::new(PredefinedMenuItem::separator(app)?),
            TrayItem::Open => Box::new(MenuItem::with_id(app, "open", item.label(), true, None::<&str>)?),
            TrayItem::Lock { enabled } => {
                Box::new(MenuItem::with_id(app, "lock", item.label(), *enabled, None::<&str>)?)
            }
            TrayItem::Quit => Box::new(MenuItem::with_id(app, "quit", item.label(), true, None::<&str>)?),
        });
    }
    let refs: Vec<&dyn IsMenuItem<R>> = built.iter().map(|b| b.as_ref()).collect();
    Menu::with_items(app, &refs)
}

/// Creates the tray icon with `model`; its menu acts through the window and session glue.
pub fn install<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<()> {
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(model.icon))
        .tooltip(&model.tooltip)
        .menu(&menu(app, model)?)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => window::show_main(app),
            "lock" => crate::lock_and_tell(app),
            "quit" => app.exit(0),
            id => {
                if let Some(token) = id.strip_prefix(TOKEN_PREFIX) {
                    window::open_token(app, token, false);
                }
            }
        })
        .build(app)?;
    Ok(())
}

/// Shows `model` on the installed tray icon (a no-op when there is none).
pub fn update<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else { return Ok(()) };
    tray.set_icon(Some(icon(model.icon)))?;
    tray.set_tooltip(Some(&model.tooltip))?;
    tray.set_menu(Some(menu(app, model)?))?;
    Ok(())
}
