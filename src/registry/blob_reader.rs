//! A blob download as one `Read` that survives dropped connections: when the stream fails
//! or ends before the blob's size, it asks again from the byte it got to (a Range request;
//! if the registry ignores the range, the bytes already read are skipped). The consumer
//! (hash + decompress + unpack) never sees the break.

use std::io::{self, Read};

use super::client::{Body, Client};
use super::retry::Backoff;
use crate::image::digest::Digest;

/// Resumes per blob, whatever progress each made: a registry that keeps cutting the
/// stream gets a clear error instead of an endless trickle.
const MAX_RESUMES: u32 = 8;

pub struct BlobReader<'c> {
    client: &'c Client,
    repo: String,
    digest: Digest,
    /// The size the manifest gives, if any: a shorter stream is a broken one.
    size: Option<u64>,
    offset: u64,
    body: Option<ureq::BodyReader<'static>>,
    /// Bytes still to drop from a restarted response that ignored our Range.
    skip: u64,
    backoff: Backoff,
    resumes: u32,
}

impl<'c> BlobReader<'c> {
    pub fn new(client: &'c Client, repo: &str, digest: &Digest, size: Option<u64>) -> Self {
        BlobReader {
            client,
            repo: repo.to_string(),
            digest: digest.clone(),
            size,
            offset: 0,
            body: None,
            skip: 0,
            backoff: Backoff::new(),
            resumes: 0,
        }
    }

    fn open(&mut self) -> io::Result<()> {
        let (body, ranged): (Body, bool) = self
            .client
            .get_blob(&self.repo, &self.digest, self.offset)
            .map_err(|e| io::Error::other(format!("{e:#}")))?;
        self.skip = if ranged { 0 } else { self.offset };
        self.body = Some(body.into_reader());
        Ok(())
    }

    /// After a failure: wait, then reopen from the current offset; Err when out of tries.
    fn reopen(&mut self, cause: io::Error) -> io::Result<()> {
        self.body = None;
        self.resumes += 1;
        let delay = match self.backoff.next_delay(None) {
            Some(d) if self.resumes <= MAX_RESUMES => Some(d),
            _ => None,
        };
        let Some(delay) = delay else {
            return Err(io::Error::new(
                cause.kind(),
                format!(
                    "fetching blob {} from {}/{}: {cause} (gave up after retries at byte {})",
                    self.digest,
                    self.client.registry(),
                    self.repo,
                    self.offset
                ),
            ));
        };
        log::debug!(
            "blob {}: stream broke at byte {} ({cause}); resuming in {delay:?}",
            self.digest,
            self.offset
        );
        std::thread::sleep(delay);
        self.open()
    }
}

impl BlobReader<'_> {
    fn stalled(&self) -> io::Error {
        let of = self.size.map(|s| format!(" of {s}")).unwrap_or_default();
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!(
                "fetching blob {} from {}/{}: the registry sent nothing for {}s at byte {}{of} (read timeout)",
                self.digest,
                self.client.registry(),
                self.repo,
                super::client::read_timeout().as_secs(),
                self.offset
            ),
        )
    }
}

impl Read for BlobReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.body.is_none() {
                if self.offset == 0 && self.skip == 0 {
                    self.open()?;
                } else {
                    self.reopen(io::Error::other("connection lost"))?;
                }
            }
            let Some(body) = self.body.as_mut() else {
                continue;
            };
            match body.read(buf) {
                Ok(0) => {
                    if self.size.is_some_and(|s| self.offset < s) {
                        let cause = io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the connection closed before the end of the blob",
                        );
                        self.reopen(cause)?;
                        continue;
                    }
                    return Ok(0);
                }
                Ok(n) if self.skip > 0 => {
                    let dropped = (n as u64).min(self.skip);
                    self.skip -= dropped;
                    let kept = n - dropped as usize;
                    if kept > 0 {
                        buf.copy_within(dropped as usize..n, 0);
                        self.offset += kept as u64;
                        return Ok(kept);
                    }
                }
                Ok(n) => {
                    self.offset += n as u64;
                    self.backoff.reset();
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // A registry silent for the whole timeout is not worth waiting on again.
                Err(e) if super::client::is_timeout(&e) => return Err(self.stalled()),
                Err(e) => self.reopen(e)?,
            }
        }
    }
}
