//! The tray's three icons (normal, attention, locked) from `icons/`, decoded once into the ARGB32
//! pixmaps a StatusNotifierItem carries: no icon theme needs to be installed.

use ksni::Icon;
use tokenwarden_core::reminders::tray_menu::TrayIconState;

const NORMAL: &[u8] = include_bytes!("../../../../icons/tray-normal.png");
const ATTENTION: &[u8] = include_bytes!("../../../../icons/tray-attention.png");
const LOCKED: &[u8] = include_bytes!("../../../../icons/tray-locked.png");

pub struct Icons {
    normal: Vec<Icon>,
    attention: Vec<Icon>,
    locked: Vec<Icon>,
}

impl Icons {
    /// Decodes the icons; one that fails to decode is drawn by the host's fallback instead.
    pub fn load() -> Icons {
        Icons { normal: argb(NORMAL), attention: argb(ATTENTION), locked: argb(LOCKED) }
    }

    pub fn get(&self, state: TrayIconState) -> Vec<Icon> {
        match state {
            TrayIconState::Normal => self.normal.clone(),
            TrayIconState::Attention => self.attention.clone(),
            TrayIconState::Locked => self.locked.clone(),
        }
    }
}

/// An 8-bit RGBA PNG as one ARGB32 pixmap (network byte order).
fn argb(png_bytes: &[u8]) -> Vec<Icon> {
    let decoded = (|| -> Result<Icon, png::DecodingError> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
        let mut reader = decoder.read_info()?;
        let mut buf = vec![0; reader.output_buffer_size().unwrap_or(0)];
        let info = reader.next_frame(&mut buf)?;
        let rgba = &buf[..info.buffer_size()];
        let data = rgba.chunks_exact(4).flat_map(|p| [p[3], p[0], p[1], p[2]]).collect();
        let size = |v: u32| i32::try_from(v).unwrap_or(0);
        Ok(Icon { width: size(info.width), height: size(info.height), data })
    })();
    match decoded {
        Ok(icon) => vec![icon],
        Err(error) => {
            eprintln!("tokenwarden-tray: an icon could not be decoded: {error}");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_icon_decodes_to_a_square_argb_pixmap() {
        for bytes in [NORMAL, ATTENTION, LOCKED] {
            let icons = argb(bytes);
            assert_eq!(icons.len(), 1);
            let icon = &icons[0];
            assert!(icon.width > 0 && icon.width == icon.height);
            assert_eq!(icon.data.len(), (icon.width * icon.height * 4) as usize);
        }
    }
}
