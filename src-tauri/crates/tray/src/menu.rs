//! The StatusNotifierItem (ksni, over the blocking `dbus` crate): it draws the core's tray model
//! and turns a click into a `Command` for the tray's loop. It decides nothing itself.

use std::sync::mpsc::Sender;
use std::sync::Mutex;
use tokenwarden_core::reminders::tray_menu::{TrayIconState, TrayItem, TrayModel};

use crate::icons::Icons;
use crate::Command;

pub struct TrayIcon {
    pub model: TrayModel,
    pub icons: Icons,
    /// Menu callbacks run on ksni's thread; the loop gets what they ask for through this.
    pub commands: Mutex<Sender<Command>>,
}

impl TrayIcon {
    fn send(&self, command: Command) {
        let _ = self.commands.lock().unwrap_or_else(|p| p.into_inner()).send(command);
    }
}

fn item(label: &str, enabled: bool, command: Option<Command>) -> ksni::MenuItem<TrayIcon> {
    ksni::menu::StandardItem {
        label: label.replace('_', "__"),
        enabled,
        activate: Box::new(move |tray: &mut TrayIcon| {
            if let Some(command) = &command {
                tray.send(command.clone());
            }
        }),
        ..Default::default()
    }
    .into()
}

impl ksni::Tray for TrayIcon {
    fn id(&self) -> String {
        "tokenwarden".to_owned()
    }

    fn title(&self) -> String {
        "Tokenwarden".to_owned()
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        self.send(Command::Open);
    }

    fn status(&self) -> ksni::Status {
        match self.model.icon {
            TrayIconState::Attention => ksni::Status::NeedsAttention,
            _ => ksni::Status::Active,
        }
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        self.icons.get(self.model.icon)
    }

    fn attention_icon_pixmap(&self) -> Vec<ksni::Icon> {
        self.icons.get(TrayIconState::Attention)
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip { title: self.model.tooltip.clone(), ..Default::default() }
    }

    fn menu(&self) -> Vec<ksni::MenuItem<Self>> {
        self.model
            .items
            .iter()
            .map(|entry| match entry {
                TrayItem::Token { id, label } => {
                    item(label, true, Some(Command::OpenToken { id: id.clone(), rotate: false }))
                }
                TrayItem::Note(label) => item(label, false, None),
                TrayItem::Separator => ksni::MenuItem::Separator,
                TrayItem::Open => item(entry.label(), true, Some(Command::Open)),
                TrayItem::Lock { enabled } => item(entry.label(), *enabled, Some(Command::Lock)),
                TrayItem::Quit => item(entry.label(), true, Some(Command::Quit)),
            })
            .collect()
    }
}
