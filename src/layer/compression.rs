//! Layer compression: detect gzip / zstd / plain tar from the first bytes and wrap the stream
//! in the matching decoder. Registries label media types, but archives and `docker load` files
//! often lie or say nothing, so the bytes decide.

use std::fmt;
use std::io::{self, BufReader, Read};

use anyhow::Result;

/// Large buffers on both sides of the decoder: the tar reader issues many 512-byte reads for
/// headers, and decoders are fastest when handed big chunks.
const BUF_SIZE: usize = 1 << 20;

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// Detects the compression from the first bytes of a stream (4 are enough).
    pub fn detect(head: &[u8]) -> Compression {
        if head.starts_with(ZSTD_MAGIC) {
            Compression::Zstd
        } else if head.starts_with(GZIP_MAGIC) {
            Compression::Gzip
        } else {
            Compression::None
        }
    }

    fn label(self) -> &'static str {
        match self {
            Compression::None => "tar",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Peeks at the start of `r`, detects its compression and returns a buffered reader of the
/// decompressed bytes. Decoder errors are prefixed with the format (`gzip: invalid gzip
/// header`), so a user can tell a corrupt download from a corrupt tar.
pub fn decompressor<'a>(r: impl Read + 'a) -> Result<(Compression, Box<dyn Read + 'a>)> {
    let mut r = r;
    let mut head = [0u8; 4];
    let n = read_up_to(&mut r, &mut head)?;
    let compression = Compression::detect(&head[..n]);
    // Put the peeked bytes back in front of the rest of the stream.
    let whole = io::Cursor::new(head).take(n as u64).chain(r);
    let input = BufReader::with_capacity(BUF_SIZE, whole);
    let decoded: Box<dyn Read + 'a> = match compression {
        Compression::None => return Ok((compression, Box::new(input))),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(input)?),
    };
    let labeled = Labeled {
        inner: decoded,
        label: compression.label(),
    };
    Ok((
        compression,
        Box::new(BufReader::with_capacity(BUF_SIZE, labeled)),
    ))
}

/// Reads until `buf` is full or the stream ends; returns how many bytes were read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Prefixes the decoder's errors with the format name.
struct Labeled<R> {
    inner: R,
    label: &'static str,
}

impl<R: Read> Read for Labeled<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner
            .read(buf)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", self.label)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn roundtrip(data: &[u8], compressed: &[u8], want: Compression) {
        let (c, mut r) = decompressor(compressed).unwrap();
        assert_eq!(c, want);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn detects_and_decodes() {
        let data = b"hello layer".repeat(1000);
        roundtrip(&data, &data, Compression::None);
        roundtrip(b"", b"", Compression::None);
        roundtrip(b"ab", b"ab", Compression::None);

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&data).unwrap();
        let gz = gz.finish().unwrap();
        roundtrip(&data, &gz, Compression::Gzip);

        let zs = zstd::encode_all(&data[..], 3).unwrap();
        roundtrip(&data, &zs, Compression::Zstd);
    }

    #[test]
    fn multi_member_gzip() {
        let mut all = Vec::new();
        for part in [&b"one "[..], b"two"] {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(part).unwrap();
            all.extend(gz.finish().unwrap());
        }
        roundtrip(b"one two", &all, Compression::Gzip);
    }

    #[test]
    fn one_byte_reads_still_detect() {
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() || buf.is_empty() {
                    return Ok(0);
                }
                buf[0] = self.0[0];
                self.0 = &self.0[1..];
                Ok(1)
            }
        }
        let zs = zstd::encode_all(&b"abc"[..], 3).unwrap();
        let (c, mut r) = decompressor(Trickle(&zs)).unwrap();
        assert_eq!(c, Compression::Zstd);
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"abc");
    }

    #[test]
    fn corrupt_gzip_errors() {
        let (_, mut r) = decompressor(&[0x1f, 0x8b, 0, 0, 0, 0][..]).unwrap();
        let err = r.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(err.to_string().starts_with("gzip: "), "{err}");
    }
}
