//! The attach socket of a detached container, served by its monitor: `skiff attach` clients
//! get a copy of the container's output, framed as `[stream: 1 stdout, 2 stderr][len: u32 LE]
//! [bytes]`, and what they send goes to the container's stdin (a pipe, or the pty master).
//!
//! The socket is `<run dir>/attach`, bound and reached through `/proc/self/fd/<dir fd>/attach`
//! so long run dirs fit the 108-byte limit of socket paths; only the container's owner (or
//! root) may connect (SO_PEERCRED).

use std::os::fd::OwnedFd;
use std::path::Path;

use anyhow::{Context, Result};
use rustix::io::Errno;
use rustix::net::{AddressFamily, SocketAddrUnix, SocketFlags, SocketType};

use super::logfile::Stream;
use crate::sys::signals::{POLLIN, POLLOUT, PollFd, poll};

pub struct AttachServer {
    listener: OwnedFd,
    clients: Vec<OwnedFd>,
    stdin: Option<OwnedFd>,
    _dir: OwnedFd,
}

/// The socket's address, reached through an O_PATH fd of `dir`.
fn address(dir: &Path) -> Result<(OwnedFd, SocketAddrUnix)> {
    use rustix::fs::{Mode, OFlags, open};
    let fd = open(
        dir,
        OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .with_context(|| format!("opening {}", dir.display()))?;
    let raw = std::os::fd::AsRawFd::as_raw_fd(&fd);
    let addr = SocketAddrUnix::new(format!("/proc/self/fd/{raw}/attach"))
        .context("attach socket address")?;
    Ok((fd, addr))
}

impl AttachServer {
    /// Listen at `<dir>/attach`; client input goes to `stdin` (None: discarded).
    pub fn bind(dir: &Path, stdin: Option<OwnedFd>) -> Result<AttachServer> {
        let _ = std::fs::remove_file(dir.join("attach"));
        let (dir_fd, addr) = address(dir)?;
        let listener = rustix::net::socket_with(
            AddressFamily::UNIX,
            SocketType::STREAM,
            SocketFlags::CLOEXEC | SocketFlags::NONBLOCK,
            None,
        )
        .context("creating the attach socket")?;
        rustix::net::bind(&listener, &addr).context("binding the attach socket")?;
        rustix::net::listen(&listener, 8).context("listening on the attach socket")?;
        Ok(AttachServer {
            listener,
            clients: Vec::new(),
            stdin,
            _dir: dir_fd,
        })
    }

    /// The listener, then each client, to poll for input.
    pub fn poll_fds(&self) -> Vec<PollFd<'_>> {
        std::iter::once(&self.listener)
            .chain(self.clients.iter())
            .map(|fd| PollFd::new(fd, POLLIN))
            .collect()
    }

    /// Handle what `poll_fds` reported ready (same order).
    pub fn serve(&mut self, ready: &[bool], buf: &mut [u8]) {
        if ready.first() == Some(&true) {
            self.accept_all();
        }
        let mut gone = Vec::new();
        for (i, client) in self.clients.iter().enumerate() {
            if !ready.get(i + 1).copied().unwrap_or(false) {
                continue;
            }
            match rustix::io::read(client, &mut *buf) {
                Ok(0) => gone.push(i),
                Ok(n) => {
                    if let Some(stdin) = &self.stdin {
                        let _ = write_all(stdin, &buf[..n]);
                    }
                }
                Err(Errno::AGAIN) | Err(Errno::INTR) => {}
                Err(_) => gone.push(i),
            }
        }
        for i in gone.into_iter().rev() {
            self.clients.remove(i);
        }
    }

    fn accept_all(&mut self) {
        let me = rustix::process::geteuid().as_raw();
        while let Ok(c) =
            rustix::net::accept_with(&self.listener, SocketFlags::CLOEXEC | SocketFlags::NONBLOCK)
        {
            let allowed = rustix::net::sockopt::socket_peercred(&c).is_ok_and(|cred| {
                let uid = cred.uid.as_raw();
                uid == me || uid == 0
            });
            if allowed {
                self.clients.push(c);
            }
        }
    }

    /// Copy output to every client; one that cannot keep up is dropped (the log has it all).
    pub fn broadcast(&mut self, stream: Stream, data: &[u8]) {
        if self.clients.is_empty() {
            return;
        }
        let mut frame = Vec::with_capacity(data.len() + 5);
        frame.push(match stream {
            Stream::Stdout => 1,
            Stream::Stderr => 2,
        });
        frame.extend_from_slice(&(data.len() as u32).to_le_bytes());
        frame.extend_from_slice(data);
        self.clients.retain(|c| write_all(c, &frame).is_ok());
    }
}

/// Write everything to a nonblocking fd, waiting a little for room when it is full.
pub fn write_all(fd: &OwnedFd, mut data: &[u8]) -> Result<()> {
    let mut stalls = 0;
    while !data.is_empty() {
        match rustix::io::write(fd, data) {
            Ok(n) => data = &data[n..],
            Err(Errno::INTR) => {}
            Err(Errno::AGAIN) => {
                stalls += 1;
                if stalls > 50 {
                    anyhow::bail!("peer is not reading");
                }
                let mut fds = [PollFd::new(fd, POLLOUT)];
                let _ = poll(&mut fds, 100);
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Client side: connect to a container's attach socket in `dir`.
pub fn connect(dir: &Path) -> Result<OwnedFd> {
    let (_dir_fd, addr) = address(dir)?;
    let sock = rustix::net::socket_with(
        AddressFamily::UNIX,
        SocketType::STREAM,
        SocketFlags::CLOEXEC,
        None,
    )
    .context("creating a socket")?;
    rustix::net::connect(&sock, &addr).context("connecting to the container's attach socket")?;
    Ok(sock)
}

/// Client side: relay until the container's output ends. `stdin` is forwarded when given.
pub fn relay(sock: &OwnedFd, stdin: Option<std::os::fd::BorrowedFd<'_>>) -> Result<()> {
    use std::io::Write;
    let mut buf = vec![0u8; 64 * 1024];
    let mut pending: Vec<u8> = Vec::new();
    let mut stdin_open = stdin.is_some();
    loop {
        let mut fds = vec![PollFd::new(sock, POLLIN)];
        if let (Some(fd), true) = (stdin, stdin_open) {
            fds.push(PollFd::from_borrowed(fd, POLLIN));
        }
        poll(&mut fds, -1)?;
        let sock_ready = fds[0].is_ready();
        let stdin_ready = fds.get(1).is_some_and(PollFd::is_ready);
        drop(fds);
        if stdin_ready && let Some(fd) = stdin {
            match rustix::io::read(fd, &mut buf) {
                Ok(0) | Err(_) => stdin_open = false,
                Ok(n) => {
                    let mut rest = &buf[..n];
                    while !rest.is_empty() {
                        match rustix::io::write(sock, rest) {
                            Ok(w) => rest = &rest[w..],
                            Err(Errno::INTR) => {}
                            Err(_) => return Ok(()),
                        }
                    }
                }
            }
        }
        if sock_ready {
            match rustix::io::read(sock, &mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => pending.extend_from_slice(&buf[..n]),
                Err(Errno::INTR) => continue,
                Err(_) => return Ok(()),
            }
            while pending.len() >= 5 {
                let len =
                    u32::from_le_bytes([pending[1], pending[2], pending[3], pending[4]]) as usize;
                if pending.len() < 5 + len {
                    break;
                }
                let data = &pending[5..5 + len];
                if pending[0] == 2 {
                    let mut e = std::io::stderr().lock();
                    let _ = e.write_all(data);
                    let _ = e.flush();
                } else {
                    let mut o = std::io::stdout().lock();
                    let _ = o.write_all(data);
                    let _ = o.flush();
                }
                pending.drain(..5 + len);
            }
        }
    }
}
