//! Recognising the archives ADD unpacks (and `build -` reads as a context): tar, plain or
//! compressed with gzip, zstd, bzip2 or xz, recognised by content, never by name. xz has no
//! streaming decoder here, so it is decompressed to a scratch file first.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};

const XZ_MAGIC: &[u8] = &[0xfd, b'7', b'z', b'X', b'Z', 0x00];
const BZIP2_MAGIC: &[u8] = b"BZh";

/// The tar stream inside `path`, or None when the file is no tar archive. `scratch` is a
/// directory for the decompressed copy of an xz file.
pub fn open_archive(path: &Path, scratch: &Path) -> Result<Option<Box<dyn Read>>> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if !meta.is_file() || meta.len() == 0 {
        return Ok(None);
    }
    if !is_tar(open_decompressed(path, scratch)?)? {
        return Ok(None);
    }
    Ok(Some(open_decompressed(path, scratch)?))
}

fn open_decompressed(path: &Path, scratch: &Path) -> Result<Box<dyn Read>> {
    let open = || File::open(path).with_context(|| format!("opening {}", path.display()));
    let mut head = [0u8; 6];
    let n = read_up_to(&mut open()?, &mut head)?;
    let head = &head[..n];
    if head.starts_with(XZ_MAGIC) {
        let plain = scratch.join(".xz-decompressed");
        if !plain.exists() {
            std::fs::create_dir_all(scratch)
                .with_context(|| format!("creating {}", scratch.display()))?;
            let mut out =
                File::create(&plain).with_context(|| format!("creating {}", plain.display()))?;
            if lzma_rs::xz_decompress(&mut BufReader::new(open()?), &mut out).is_err() {
                return Ok(Box::new(io::empty()));
            }
        }
        return Ok(Box::new(File::open(&plain)?));
    }
    if head.starts_with(BZIP2_MAGIC) {
        return Ok(Box::new(bzip2::read::MultiBzDecoder::new(BufReader::new(
            open()?,
        ))));
    }
    match crate::layer::compression::decompressor(BufReader::new(open()?)) {
        Ok((_, reader)) => Ok(reader),
        Err(_) => Ok(Box::new(io::empty())),
    }
}

/// A POSIX or GNU tar header: "ustar" at offset 257 of the first block.
fn is_tar(mut reader: Box<dyn Read>) -> Result<bool> {
    let mut block = [0u8; 512];
    match read_up_to(&mut reader, &mut block) {
        Ok(n) => Ok(n == 512 && &block[257..262] == b"ustar"),
        Err(_) => Ok(false),
    }
}

fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tar_bytes() -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_ustar();
        h.set_size(2);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, "f", &b"hi"[..]).unwrap();
        b.into_inner().unwrap()
    }

    fn names_in(reader: Box<dyn Read>) -> Vec<String> {
        let mut a = tar::Archive::new(reader);
        a.entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn archives_are_recognised_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let scratch = dir.path().join("scratch");
        let tar = tar_bytes();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        let mut bz = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        bz.write_all(&tar).unwrap();
        let mut xz = Vec::new();
        lzma_rs::xz_compress(&mut &tar[..], &mut xz).unwrap();
        let cases: [(&str, Vec<u8>); 4] = [
            ("a.tar", tar.clone()),
            ("a.tgz", gz.finish().unwrap()),
            ("a.tbz", bz.finish().unwrap()),
            ("a.txz", xz),
        ];
        for (name, bytes) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let s = scratch.join(name);
            let reader = open_archive(&path, &s).unwrap().unwrap();
            assert_eq!(names_in(reader), vec!["f"], "{name}");
        }
        let text = dir.path().join("t.tar");
        std::fs::write(&text, "hello").unwrap();
        assert!(open_archive(&text, &scratch).unwrap().is_none());
    }
}
