//! Argon2id: turns the password into the key that wraps the master key. Parameters are stored in
//! the key slot, so each vault keeps the cost it was calibrated to.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Argon2id cost. Memory in KiB as Argon2 counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// The weakest cost a vault gets unless the user explicitly asks for less: m=64 MiB, t=3, p=4.
pub const KDF_FLOOR: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 4 };

/// The costliest parameters a vault may ask for: more would let an edited `vault.keys` make every
/// unlock allocate gigabytes or spin for minutes. Checked before Argon2id runs.
pub const KDF_CEILING: KdfParams = KdfParams { memory_kib: 4 * 1024 * 1024, iterations: 64, parallelism: 64 };

/// Calibration aims for about this long per unlock (the design asks for 0.5–1 s).
const TARGET: Duration = Duration::from_millis(750);
/// Never calibrate above 1 GiB: a vault must still open on a small laptop.
const MAX_MEMORY_KIB: u32 = 1024 * 1024;

impl KdfParams {
    pub fn is_below_floor(&self) -> bool {
        self.memory_kib < KDF_FLOOR.memory_kib
            || self.iterations < KDF_FLOOR.iterations
            || self.parallelism < KDF_FLOOR.parallelism
    }

    pub fn is_above_ceiling(&self) -> bool {
        self.memory_kib > KDF_CEILING.memory_kib
            || self.iterations > KDF_CEILING.iterations
            || self.parallelism > KDF_CEILING.parallelism
    }

    pub fn validate(&self) -> Result<()> {
        Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map(|_| ())
            .map_err(|e| Error::invalid("kdf", format!("Argon2id rejects these parameters: {e}")))?;
        if self.memory_kib > KDF_CEILING.memory_kib {
            return Err(Error::invalid("kdf", "memory above 4 GiB would not open on most machines"));
        }
        if self.iterations > KDF_CEILING.iterations || self.parallelism > KDF_CEILING.parallelism {
            return Err(Error::invalid("kdf", "more than 64 iterations or 64 lanes is not supported"));
        }
        Ok(())
    }

    /// Why parameters read from a key file must not be used, if they must not: above the ceiling,
    /// or below the floor without the key file saying they were chosen that way on purpose.
    pub fn stored_problem(&self, chosen_below_floor: bool) -> Option<String> {
        if self.is_above_ceiling() {
            return Some(format!(
                "its key-derivation cost ({self}) is above the most this app accepts (m=4096 MiB, t=64, p=64)"
            ));
        }
        if self.is_below_floor() && !chosen_below_floor {
            return Some(format!(
                "its key-derivation cost ({self}) is below the minimum ({KDF_FLOOR}) and the vault was not made that way on purpose"
            ));
        }
        None
    }
}

impl std::fmt::Display for KdfParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Argon2id m={} MiB, t={}, p={}", self.memory_kib / 1024, self.iterations, self.parallelism)
    }
}

pub fn derive_wrapping_key(password: &[u8], salt: &[u8], params: KdfParams) -> Result<Zeroizing<[u8; 32]>> {
    let argon_params = Params::new(params.memory_kib, params.iterations, params.parallelism, Some(32))
        .map_err(|e| Error::invalid("kdf", format!("Argon2id rejects these parameters: {e}")))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password, salt, out.as_mut_slice())
        .map_err(|e| Error::Internal(format!("Argon2id failed: {e}")))?;
    Ok(out)
}

/// Finds a cost that takes about [`TARGET`] on this machine, never below [`KDF_FLOOR`]:
/// time the floor once, then scale memory first (it is what hurts attackers' hardware most),
/// and iterations once memory reaches its ceiling.
pub fn calibrate() -> Result<KdfParams> {
    let probe = time_once(KDF_FLOOR)?;
    let factor = TARGET.as_secs_f64() / probe.as_secs_f64().max(0.001);
    if factor <= 1.0 {
        return Ok(KDF_FLOOR);
    }
    let wanted_memory = (f64::from(KDF_FLOOR.memory_kib) * factor) as u64;
    let memory_kib = wanted_memory.min(u64::from(MAX_MEMORY_KIB)) as u32;
    let left = factor * f64::from(KDF_FLOOR.memory_kib) / f64::from(memory_kib);
    let iterations = ((f64::from(KDF_FLOOR.iterations) * left).round() as u32).max(KDF_FLOOR.iterations);
    // Round memory down to whole MiB so `info` reads cleanly.
    Ok(KdfParams { memory_kib: memory_kib / 1024 * 1024, iterations, parallelism: KDF_FLOOR.parallelism })
}

fn time_once(params: KdfParams) -> Result<Duration> {
    let started = Instant::now();
    derive_wrapping_key(b"calibration", &[0u8; 16], params)?;
    Ok(started.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

    #[test]
    fn same_password_and_salt_give_the_same_key() {
        let a = derive_wrapping_key(b"pw", &[1; 16], CHEAP).unwrap();
        let b = derive_wrapping_key(b"pw", &[1; 16], CHEAP).unwrap();
        assert_eq!(*a, *b);
        let c = derive_wrapping_key(b"pw", &[2; 16], CHEAP).unwrap();
        assert_ne!(*a, *c);
    }

    #[test]
    fn floor_comparison_checks_every_parameter() {
        assert!(!KDF_FLOOR.is_below_floor());
        assert!(CHEAP.is_below_floor());
        assert!(KdfParams { parallelism: 1, ..KDF_FLOOR }.is_below_floor());
    }

    #[test]
    fn stored_parameters_outside_floor_and_ceiling_are_refused() {
        assert!(KDF_FLOOR.stored_problem(false).is_none());
        assert!(KDF_CEILING.stored_problem(false).is_none());
        assert!(CHEAP.stored_problem(false).unwrap().contains("below the minimum"));
        assert!(CHEAP.stored_problem(true).is_none(), "chosen on purpose");
        let huge = KdfParams { memory_kib: 64 * 1024 * 1024, ..KDF_FLOOR };
        assert!(huge.stored_problem(true).unwrap().contains("above"));
        assert!(KdfParams { iterations: 65, ..KDF_FLOOR }.stored_problem(false).is_some());
        assert!(KdfParams { parallelism: 65, ..KDF_FLOOR }.stored_problem(false).is_some());
    }

    #[test]
    fn invalid_parameters_are_rejected_with_a_clear_error() {
        let err = KdfParams { memory_kib: 1, iterations: 0, parallelism: 1 }.validate().unwrap_err();
        assert!(err.to_string().contains("Argon2id"), "{err}");
    }
}
