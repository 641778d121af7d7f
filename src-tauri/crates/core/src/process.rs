//! Process hardening both binaries run first thing in `main`: no core dumps and no ptrace
//! attachment, so keys and secrets in memory cannot be read back from a crash file or by another
//! process of the same user. It must never panic or stop the program: hardening is best effort.

/// Sets RLIMIT_CORE to 0 (soft and hard) and PR_SET_DUMPABLE to 0. A non-dumpable process writes
/// no core, and the kernel refuses ptrace and `/proc/PID/mem` to other processes of the same
/// user (its `/proc/PID/*` files become root's). Returns what could not be done, for a warning.
#[cfg(target_os = "linux")]
pub fn harden() -> Result<(), String> {
    use rustix::process::{set_dumpable_behavior, setrlimit, DumpableBehavior, Resource, Rlimit};
    let mut failed = Vec::new();
    if let Err(e) = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) }) {
        failed.push(format!("core dumps could not be turned off ({e})"));
    }
    if let Err(e) = set_dumpable_behavior(DumpableBehavior::NotDumpable) {
        failed.push(format!("ptrace attachment could not be turned off ({e})"));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("; "))
    }
}

/// Elsewhere there is nothing to do here yet (macOS and Windows need other calls).
#[cfg(not(target_os = "linux"))]
pub fn harden() -> Result<(), String> {
    Ok(())
}
