//! Fingerprints everything compiled into the binary that decides what the
//! extraction stages produce (sources, rule and lexicon data, dependency
//! versions), so that `--cache` entries written by one build are never
//! trusted by another build that still carries the same version number.

use std::path::{Path, PathBuf};

/// FNV-1a, 128 bits: stable across Rust releases, unlike `DefaultHasher`,
/// and plenty for telling builds apart (the inputs are not adversarial).
struct Fnv(u128);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self
                .0
                .wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
        }
    }
}

fn files(root: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    for root in ["src", "rules"] {
        files(Path::new(root), &mut paths);
        println!("cargo:rerun-if-changed={root}");
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        paths.push(PathBuf::from(file));
        println!("cargo:rerun-if-changed={file}");
    }
    paths.sort();
    let mut hash = Fnv(0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
    for path in &paths {
        // A missing Cargo.lock (a dependent build) just hashes as absent.
        let bytes = std::fs::read(path).unwrap_or_default();
        hash.write(path.to_string_lossy().as_bytes());
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    println!(
        "cargo:rustc-env=CROSSCHECK_BUILD_FINGERPRINT={:032x}",
        hash.0
    );
}
