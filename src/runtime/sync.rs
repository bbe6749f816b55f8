//! The parent/child handshake, over a SOCK_SEQPACKET socketpair (one write, one message;
//! a closed peer reads as end of file). Both ends are close-on-exec.
//!
//! ```text
//!  parent                                child (pid 1 of the new namespaces)
//!  clone3 ------------------------------> waits for MAPS_DONE           (sync 1)
//!  writes uid/gid maps (newuidmap ...)
//!  MAPS_DONE ---------------------------> setup steps, each checked:
//!                                           mounts, pivot, hostname, lo, rlimits,
//!                                           stdio, user (forks the process under --init)
//!  <------------------------------------- EXEC: setup done, execve next  (sync 2)
//!  <------------------------------------- ERROR(code, text) on any failure, exec included
//!  end of file after EXEC: the exec happened (the close-on-exec end went away)
//! ```
//! `exec` uses the same messages, plus PID (the exec'd process's pid, sent by the intermediate
//! process that joined the namespaces).

use std::os::fd::OwnedFd;

use anyhow::{Context, Result};

use crate::error::ExitError;

const MAPS_DONE: u8 = b'M';
const EXEC: u8 = b'X';
const ERROR: u8 = b'E';
const PID: u8 = b'P';
const PTY: u8 = b'T';

/// One end of the channel.
pub(super) struct Channel(pub OwnedFd);

/// What the parent learned from the child side by the end of the conversation.
#[derive(Debug, Default)]
pub(super) struct Outcome {
    pub pid: Option<i32>,
    /// The pty master the child allocated in the container (StdioSetup::NewPty).
    pub pty_master: Option<OwnedFd>,
}

impl Channel {
    fn send(&self, msg: &[u8]) -> std::io::Result<()> {
        loop {
            match rustix::io::write(&self.0, msg) {
                Ok(_) => return Ok(()),
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    fn recv(&self) -> std::io::Result<Vec<u8>> {
        Ok(self.recv_with_fd()?.0)
    }

    /// A message and, if it carried one (SCM_RIGHTS), a file descriptor.
    fn recv_with_fd(&self) -> std::io::Result<(Vec<u8>, Option<OwnedFd>)> {
        use rustix::net::{RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, recvmsg};
        let mut buf = vec![0u8; 8192];
        let mut space = [std::mem::MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(1))];
        loop {
            let mut control = RecvAncillaryBuffer::new(&mut space);
            let mut iov = [std::io::IoSliceMut::new(&mut buf)];
            match recvmsg(&self.0, &mut iov, &mut control, RecvFlags::CMSG_CLOEXEC) {
                Ok(r) => {
                    let n = r.bytes;
                    let mut fd = None;
                    for msg in control.drain() {
                        if let RecvAncillaryMessage::ScmRights(fds) = msg {
                            fd = fds.into_iter().next();
                        }
                    }
                    buf.truncate(n);
                    return Ok((buf, fd));
                }
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Child: the pty master, passed to the parent with SCM_RIGHTS.
    pub fn send_pty_master(&self, master: &OwnedFd) -> std::io::Result<()> {
        use rustix::net::{SendAncillaryBuffer, SendAncillaryMessage, SendFlags, sendmsg};
        use std::os::fd::AsFd;
        let mut space = [std::mem::MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(1))];
        let mut control = SendAncillaryBuffer::new(&mut space);
        let fds = [master.as_fd()];
        if !control.push(SendAncillaryMessage::ScmRights(&fds)) {
            return Err(std::io::Error::other("no room for the descriptor"));
        }
        sendmsg(
            &self.0,
            &[std::io::IoSlice::new(&[PTY])],
            &mut control,
            SendFlags::empty(),
        )?;
        Ok(())
    }

    /// Parent: the id maps are written, go on (sync 1).
    pub fn send_maps_done(&self) -> Result<()> {
        self.send(&[MAPS_DONE])
            .context("releasing the container process")
    }

    /// Child: waits for sync 1; false when the parent went away instead.
    pub fn wait_maps_done(&self) -> bool {
        matches!(self.recv().as_deref(), Ok([MAPS_DONE]))
    }

    /// Child: setup is done, execve comes next (sync 2).
    pub fn send_exec(&self) {
        let _ = self.send(&[EXEC]);
    }

    /// Intermediate (exec): the pid of the process it cloned, in the caller's pid namespace.
    pub fn send_pid(&self, pid: i32) {
        let mut msg = vec![PID];
        msg.extend_from_slice(&pid.to_le_bytes());
        let _ = self.send(&msg);
    }

    /// Child: a failed step, as an exit code and one line of text.
    pub fn send_error(&self, code: u8, text: &str) {
        let mut msg = vec![ERROR, code];
        // One message must fit the socket buffer: long chains are cut.
        msg.extend_from_slice(&text.as_bytes()[..text.len().min(4000)]);
        let _ = self.send(&msg);
    }

    /// Parent: reads until end of file (every copy of the child's end is closed: exec'd or
    /// exited). Ok once EXEC came and no ERROR; the child's error as an `ExitError`
    /// otherwise. The pid, when reported, is in the outcome either way.
    pub fn wait_for_exec(&self) -> (Outcome, Result<()>) {
        let mut outcome = Outcome::default();
        let mut exec_seen = false;
        let mut error = None;
        loop {
            let (msg, fd) = match self.recv_with_fd() {
                Ok(x) => x,
                Err(e) => {
                    let e = anyhow::Error::new(e).context("reading from the container process");
                    return (outcome, Err(e));
                }
            };
            match msg.split_first() {
                None => break,
                Some((&EXEC, _)) => exec_seen = true,
                Some((&PTY, _)) if fd.is_some() => outcome.pty_master = fd,
                Some((&PID, rest)) if rest.len() == 4 => {
                    outcome.pid = Some(i32::from_le_bytes(rest.try_into().expect("4 bytes")));
                }
                Some((&ERROR, rest)) => {
                    let (code, text) = rest.split_first().unwrap_or((&125, &[]));
                    let text = String::from_utf8_lossy(text).into_owned();
                    error.get_or_insert(ExitError::new(*code, text));
                }
                Some((tag, _)) => {
                    error.get_or_insert(ExitError::new(
                        crate::error::EXIT_TOOL,
                        format!("unexpected message {tag} from the container process"),
                    ));
                }
            }
        }
        let result = match error {
            Some(e) => Err(e.into()),
            None if !exec_seen => Err(anyhow::anyhow!("the container process exited during setup")),
            None => Ok(()),
        };
        (outcome, result)
    }
}
