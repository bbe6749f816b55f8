//! Pseudo-terminals.

use std::os::fd::OwnedFd;

use anyhow::{Context, Result};
use rustix::pty::{OpenptFlags, grantpt, ioctl_tiocgptpeer, openpt, unlockpt};

/// A new pty pair (master, slave), both close-on-exec. The slave is opened through the master
/// (TIOCGPTPEER), so it works in any mount namespace with no /dev/pts path lookup.
pub fn openpty() -> Result<(OwnedFd, OwnedFd)> {
    let flags = OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC;
    let master = openpt(flags).context("opening /dev/ptmx")?;
    grantpt(&master).context("grantpt")?;
    unlockpt(&master).context("unlockpt")?;
    let slave = ioctl_tiocgptpeer(&master, flags).context("opening the pty slave")?;
    Ok((master, slave))
}

#[cfg(test)]
mod tests {
    #[test]
    fn opens_a_pair() {
        let (master, slave) = super::openpty().unwrap();
        assert!(rustix::termios::isatty(&slave));
        rustix::io::write(&slave, b"x").unwrap();
        let mut buf = [0u8; 1];
        rustix::io::read(&master, &mut buf).unwrap();
        assert_eq!(&buf, b"x");
    }
}
