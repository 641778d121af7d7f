//! The TypeScript declarations of every type that crosses IPC, generated from the Rust types and
//! committed as `ui/src/lib/backend/generated.ts`. This test fails when that file is stale;
//! `make bindings` (UPDATE_BINDINGS=1) rewrites it. `ui/src/lib/backend/types.ts` is checked
//! against it by the TypeScript compiler (`npm run check`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use ts_rs::TS;

fn declarations() -> String {
    use tokenwarden_app::commands::vault::AppVaultStatus;
    use tokenwarden_app::ipc::{AlertView, MonitorStatus};
    use tokenwarden_app::ipc::{
        CopyResult, ExportRequest, ExportResult, ImportPreview, ImportProgress, ImportRequest, PickedFile, TokenDetail,
        TokenInput, TokenRow, TokenRowWire, TokenView,
    };
    use tokenwarden_app::ipc::{FindingView, HealthSummary};
    use tokenwarden_app::ipc::{ProviderApiUrl, ProviderPage, ProviderView, RotationAction, VerifyOutcome};
    use tokenwarden_app::ipc::{ScanApplyRequest, ScanCounts, ScanProgress, ScanRequest, ScanResults};
    use tokenwarden_core::health::{FindingKind, Fix, Severity};
    use tokenwarden_core::revocation::{Outcome, OutcomeError, RevokeHow, RevokeOutcome};
    use tokenwarden_core::rotation::{Consumer, Rotation, RotationMethod, RotationStep};
    use tokenwarden_core::scan::{Applied, Finding, Group};
    use tokenwarden_core::transfer::{
        ColumnMap, ExportFormat, Field, Format, ImportSummary, OnDuplicate, PlannedAction, PreviewRow,
    };
    use tokenwarden_core::verification::{ExpiryDiff, VerifyReport};
    use tokenwarden_core::{audit_log::Event, settings::Settings, usages::Usage, vault::VaultStatus};
    use tokenwarden_core::{ErrorCode, KdfParams, TokenKind, TokenStatus};
    use tokenwarden_providers::catalog::{ApiOps, KindSpec, Provider, Urls};
    use tokenwarden_providers::detect::{Confidence, Detection};

    // JSON numbers, not bigint: serde writes i64/u64 as plain numbers.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        ErrorCode::decl(&cfg),
        tokenwarden_app::IpcError::decl(&cfg),
        KdfParams::decl(&cfg),
        VaultStatus::decl(&cfg),
        AppVaultStatus::decl(&cfg),
        TokenKind::decl(&cfg),
        TokenStatus::decl(&cfg),
        TokenView::decl(&cfg),
        TokenRow::decl(&cfg),
        TokenRowWire::decl(&cfg),
        TokenInput::decl(&cfg),
        Usage::decl(&cfg),
        Event::decl(&cfg),
        TokenDetail::decl(&cfg),
        CopyResult::decl(&cfg),
        Settings::decl(&cfg),
        Format::decl(&cfg),
        ExportFormat::decl(&cfg),
        OnDuplicate::decl(&cfg),
        Field::decl(&cfg),
        ColumnMap::decl(&cfg),
        PlannedAction::decl(&cfg),
        PreviewRow::decl(&cfg),
        ImportSummary::decl(&cfg),
        ImportRequest::decl(&cfg),
        ImportPreview::decl(&cfg),
        ImportProgress::decl(&cfg),
        ExportRequest::decl(&cfg),
        ExportResult::decl(&cfg),
        PickedFile::decl(&cfg),
        tokenwarden_app::window::OpenToken::decl(&cfg),
        tokenwarden_app::memory::MemoryReleased::decl(&cfg),
        tokenwarden_app::reminders::DueNotice::decl(&cfg),
        Confidence::decl(&cfg),
        Detection::decl(&cfg),
        Urls::decl(&cfg),
        ApiOps::decl(&cfg),
        KindSpec::decl(&cfg),
        Provider::decl(&cfg),
        ProviderView::decl(&cfg),
        ProviderPage::decl(&cfg),
        ExpiryDiff::decl(&cfg),
        VerifyReport::decl(&cfg),
        VerifyOutcome::decl(&cfg),
        RotationMethod::decl(&cfg),
        RotationStep::decl(&cfg),
        Consumer::decl(&cfg),
        Rotation::decl(&cfg),
        RotationAction::decl(&cfg),
        RevokeHow::decl(&cfg),
        Outcome::decl(&cfg),
        OutcomeError::decl(&cfg),
        RevokeOutcome::decl(&cfg),
        ProviderApiUrl::decl(&cfg),
        AlertView::decl(&cfg),
        MonitorStatus::decl(&cfg),
        Group::decl(&cfg),
        Finding::decl(&cfg),
        ScanRequest::decl(&cfg),
        ScanProgress::decl(&cfg),
        ScanCounts::decl(&cfg),
        ScanResults::decl(&cfg),
        ScanApplyRequest::decl(&cfg),
        Applied::decl(&cfg),
        Severity::decl(&cfg),
        FindingKind::decl(&cfg),
        Fix::decl(&cfg),
        FindingView::decl(&cfg),
        HealthSummary::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust IPC types by src-tauri/tests/bindings.rs — do not edit.\n\
         // After changing those types, run `make bindings`.\n\n",
    );
    for decl in decls {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[test]
fn typescript_bindings_are_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/backend/generated.ts");
    let expected = declarations();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == expected, "{} is stale: run `make bindings` and commit it", path.display());
}
