//! Unpack / pack tests. They run as root (chown, device nodes, trusted.* xattrs).

use std::fs;
use std::io::Write;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

use tar::{Builder, EntryType, Header};

use super::*;
use crate::image::digest::Digest;

const ROOTFUL: UnpackOptions = UnpackOptions {
    rootless: false,
    ignore_chown_errors: false,
};
const ROOTLESS: UnpackOptions = UnpackOptions {
    rootless: true,
    ignore_chown_errors: false,
};

/// A header with any name bytes, `..` included (the tar crate's `set_path` refuses those).
fn raw_header(name: &[u8], kind: EntryType, size: u64, link: &[u8]) -> Header {
    let mut h = Header::new_gnu();
    h.set_entry_type(kind);
    h.set_size(size);
    h.set_mode(0o644);
    h.set_mtime(1_000_000);
    h.set_uid(0);
    h.set_gid(0);
    let old = h.as_old_mut();
    old.name[..name.len()].copy_from_slice(name);
    old.linkname[..link.len()].copy_from_slice(link);
    h.set_cksum();
    h
}

fn raw_entry(out: &mut Vec<u8>, name: &[u8], kind: EntryType, data: &[u8], link: &[u8]) {
    let h = raw_header(name, kind, data.len() as u64, link);
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(data);
    out.resize(out.len().div_ceil(512) * 512, 0);
}

fn raw_finish(mut out: Vec<u8>) -> Vec<u8> {
    out.extend_from_slice(&[0; 1024]);
    out
}

fn header(kind: EntryType, mode: u32, uid: u64, gid: u64, mtime: u64) -> Header {
    let mut h = Header::new_gnu();
    h.set_entry_type(kind);
    h.set_mode(mode);
    h.set_uid(uid);
    h.set_gid(gid);
    h.set_mtime(mtime);
    h.set_size(0);
    h
}

fn add_file(b: &mut Builder<Vec<u8>>, path: &str, data: &[u8], mode: u32, uid: u64, mtime: u64) {
    let mut h = header(EntryType::Regular, mode, uid, uid + 1, mtime);
    h.set_size(data.len() as u64);
    b.append_data(&mut h, path, data).unwrap();
}

fn add_dir(b: &mut Builder<Vec<u8>>, path: &str, mode: u32, mtime: u64) {
    let mut h = header(EntryType::Directory, mode, 0, 0, mtime);
    b.append_data(&mut h, path, std::io::empty()).unwrap();
}

fn add_link(b: &mut Builder<Vec<u8>>, kind: EntryType, path: &str, target: &str) {
    let mut h = header(kind, 0o777, 0, 0, 1_000_000);
    b.append_link(&mut h, path, target).unwrap();
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).unwrap();
    gz.finish().unwrap()
}

/// A temp dir holding an empty `dest`; the temp dir itself is the "outside" that must stay
/// untouched.
struct Sandbox {
    base: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let base = tempfile::tempdir().unwrap();
        fs::create_dir(base.path().join("dest")).unwrap();
        Sandbox { base }
    }
    fn dest(&self) -> std::path::PathBuf {
        self.base.path().join("dest")
    }
    fn unpack(&self, tar: &[u8], opts: &UnpackOptions) -> anyhow::Result<UnpackStats> {
        unpack_layer(tar, &self.dest(), opts)
    }
    fn assert_outside_untouched(&self) {
        let names: Vec<_> = fs::read_dir(self.base.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("dest")],
            "something escaped the layer dir"
        );
    }
}

fn xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    let mut buf = vec![0u8; 256];
    let n = rustix::fs::lgetxattr(path, name, &mut buf[..]).ok()?;
    buf.truncate(n);
    Some(buf)
}

fn rich_tar() -> Vec<u8> {
    let mut b = Builder::new(Vec::new());
    add_dir(&mut b, "etc/", 0o750, 1_111_111);
    add_file(&mut b, "etc/passwd", b"root:x:0:0\n", 0o644, 0, 1_222_222);
    add_file(&mut b, "etc/suid", b"#!/bin/sh\n", 0o4755, 1000, 1_333_333);
    add_file(&mut b, "etc/sgid-sticky", b"", 0o3775, 7, 1_333_333);
    add_link(&mut b, EntryType::Symlink, "etc/abs", "/usr/bin/true");
    add_link(&mut b, EntryType::Symlink, "etc/rel", "../usr/lib/x");
    add_link(&mut b, EntryType::Link, "etc/passwd-hard", "etc/passwd");
    // PAX xattrs on a file and a directory.
    b.append_pax_extensions([
        ("SCHILY.xattr.user.test", &b"hello"[..]),
        ("SCHILY.xattr.trusted.t", &b"1"[..]),
    ])
    .unwrap();
    add_file(&mut b, "etc/xattr", b"x", 0o600, 0, 1_444_444);
    b.append_pax_extensions([("SCHILY.xattr.user.dir", &b"d"[..])])
        .unwrap();
    add_dir(&mut b, "var/", 0o755, 1_555_555);
    // A file in a directory with no entry of its own.
    add_file(&mut b, "implied/deep/file", b"deep", 0o644, 0, 1_666_666);
    // Long names: GNU long name from the builder, and a PAX path.
    let long = format!("long/{}/end", "n".repeat(150));
    add_file(&mut b, &long, b"long", 0o644, 0, 1_777_777);
    let pax_name = format!("pax/{}", "p".repeat(120));
    b.append_pax_extensions([("path", pax_name.as_bytes()), ("mtime", &b"1888888.25"[..])])
        .unwrap();
    let mut h = header(EntryType::Regular, 0o644, 0, 0, 5);
    h.set_size(3);
    h.as_old_mut().name[..5].copy_from_slice(b"short");
    h.set_cksum();
    b.append(&h, &b"pax"[..]).unwrap();
    let mut fifo = header(EntryType::Fifo, 0o640, 0, 0, 1_999_999);
    b.append_data(&mut fifo, "dev/fifo", std::io::empty())
        .unwrap();
    let mut null = header(EntryType::Char, 0o666, 0, 0, 1_999_999);
    null.set_device_major(1).unwrap();
    null.set_device_minor(3).unwrap();
    b.append_data(&mut null, "dev/null", std::io::empty())
        .unwrap();
    b.into_inner().unwrap()
}

#[test]
fn unpacks_files_modes_owners_times_xattrs() {
    let sb = Sandbox::new();
    let tar = rich_tar();
    let stats = sb.unpack(&tar, &ROOTFUL).unwrap();
    let d = sb.dest();
    assert_eq!(stats.diff_id, Digest::of(&tar));
    assert_eq!(stats.tar_size, tar.len() as u64);
    assert_eq!(stats.content_size, (11 + 10 + 1 + 4 + 4 + 3) as u64);

    let m = fs::metadata(d.join("etc/passwd")).unwrap();
    assert_eq!(fs::read(d.join("etc/passwd")).unwrap(), b"root:x:0:0\n");
    assert_eq!(
        (m.mode() & 0o7777, m.uid(), m.gid(), m.mtime()),
        (0o644, 0, 1, 1_222_222)
    );
    let m = fs::metadata(d.join("etc/suid")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.uid(), m.gid()), (0o4755, 1000, 1001));
    assert_eq!(
        fs::metadata(d.join("etc/sgid-sticky")).unwrap().mode() & 0o7777,
        0o3775
    );

    // Directory mtime set after its children were written.
    let m = fs::metadata(d.join("etc")).unwrap();
    assert_eq!((m.mode() & 0o7777, m.mtime()), (0o750, 1_111_111));

    assert_eq!(
        fs::read_link(d.join("etc/abs")).unwrap(),
        Path::new("/usr/bin/true")
    );
    assert_eq!(
        fs::read_link(d.join("etc/rel")).unwrap(),
        Path::new("../usr/lib/x")
    );
    let a = fs::metadata(d.join("etc/passwd")).unwrap();
    let b = fs::metadata(d.join("etc/passwd-hard")).unwrap();
    assert_eq!(a.ino(), b.ino());
    assert_eq!(a.nlink(), 2);

    assert_eq!(xattr(&d.join("etc/xattr"), "user.test").unwrap(), b"hello");
    assert_eq!(xattr(&d.join("etc/xattr"), "trusted.t").unwrap(), b"1");
    assert_eq!(xattr(&d.join("var"), "user.dir").unwrap(), b"d");

    assert_eq!(fs::read(d.join("implied/deep/file")).unwrap(), b"deep");
    assert_eq!(
        fs::metadata(d.join("implied")).unwrap().mode() & 0o777,
        0o755
    );
    let long = format!("long/{}/end", "n".repeat(150));
    assert_eq!(fs::read(d.join(long)).unwrap(), b"long");
    let pax = d.join(format!("pax/{}", "p".repeat(120)));
    assert_eq!(fs::read(&pax).unwrap(), b"pax");
    let m = fs::metadata(&pax).unwrap();
    assert_eq!((m.mtime(), m.mtime_nsec()), (1_888_888, 250_000_000));
    assert!(!d.join("short").exists());

    let m = fs::symlink_metadata(d.join("dev/fifo")).unwrap();
    assert!(m.file_type().is_fifo());
    assert_eq!(m.mode() & 0o7777, 0o640);
    let m = fs::symlink_metadata(d.join("dev/null")).unwrap();
    assert!(m.file_type().is_char_device());
    assert_eq!(m.rdev(), rustix::fs::makedev(1, 3));
}

#[test]
fn rootless_skips_devices_and_uses_user_opaque() {
    let sb = Sandbox::new();
    let mut raw = Vec::new();
    raw_entry(&mut raw, b"d/.wh..wh..opq", EntryType::Regular, b"", b"");
    let mut tar = raw_finish(raw);
    // Append a device entry before the end blocks.
    tar.truncate(tar.len() - 1024);
    let mut h = raw_header(b"dev/sda", EntryType::Block, 0, b"");
    h.set_device_major(8).unwrap();
    h.set_cksum();
    tar.extend_from_slice(h.as_bytes());
    let tar = raw_finish(tar);
    sb.unpack(&tar, &ROOTLESS).unwrap();
    let d = sb.dest();
    assert_eq!(xattr(&d.join("d"), "user.overlay.opaque").unwrap(), b"y");
    assert!(xattr(&d.join("d"), "trusted.overlay.opaque").is_none());
    assert!(!d.join("dev/sda").exists());
}

#[test]
fn whiteouts_and_opaque_dirs() {
    let sb = Sandbox::new();
    let mut raw = Vec::new();
    raw_entry(&mut raw, b"a/.wh.gone", EntryType::Regular, b"", b"");
    raw_entry(&mut raw, b"b/", EntryType::Directory, b"", b"");
    raw_entry(&mut raw, b"b/.wh..wh..opq", EntryType::Regular, b"", b"");
    raw_entry(&mut raw, b"b/kept", EntryType::Regular, b"k", b"");
    raw_entry(&mut raw, b".wh..wh.plnk", EntryType::Directory, b"", b"");
    raw_entry(&mut raw, b".wh.top", EntryType::Regular, b"", b"");
    // A directory entry after the opaque marker keeps it.
    raw_entry(&mut raw, b"b/", EntryType::Directory, b"", b"");
    sb.unpack(&raw_finish(raw), &ROOTFUL).unwrap();
    let d = sb.dest();
    for wh in ["a/gone", "top"] {
        let m = fs::symlink_metadata(d.join(wh)).unwrap();
        assert!(m.file_type().is_char_device(), "{wh}");
        assert_eq!(m.rdev(), 0);
    }
    assert!(!d.join("a/.wh.gone").exists());
    assert_eq!(xattr(&d.join("b"), "trusted.overlay.opaque").unwrap(), b"y");
    assert!(!d.join("b/.wh..wh..opq").exists());
    assert!(!d.join(".wh..wh.plnk").exists());
    assert_eq!(fs::read(d.join("b/kept")).unwrap(), b"k");
}

#[test]
fn overlay_xattrs_from_the_tar_are_ignored() {
    let sb = Sandbox::new();
    let mut b = Builder::new(Vec::new());
    b.append_pax_extensions([("SCHILY.xattr.trusted.overlay.opaque", &b"y"[..])])
        .unwrap();
    add_dir(&mut b, "x/", 0o755, 1);
    sb.unpack(&b.into_inner().unwrap(), &ROOTFUL).unwrap();
    assert!(xattr(&sb.dest().join("x"), "trusted.overlay.opaque").is_none());
}

#[test]
fn later_entries_replace_earlier_ones() {
    let sb = Sandbox::new();
    let mut b = Builder::new(Vec::new());
    add_file(&mut b, "x", b"file", 0o644, 0, 1);
    add_dir(&mut b, "x/", 0o755, 2);
    add_file(&mut b, "x/y", b"child", 0o644, 0, 3);
    add_dir(&mut b, "d/", 0o755, 4);
    add_file(&mut b, "d/keep", b"keep", 0o644, 0, 5);
    add_dir(&mut b, "d/", 0o700, 6);
    add_dir(&mut b, "gone/", 0o755, 7);
    add_file(&mut b, "gone/sub", b"s", 0o644, 0, 8);
    add_file(&mut b, "gone", b"now a file", 0o600, 0, 9);
    add_file(&mut b, "f", b"old", 0o644, 0, 10);
    add_file(&mut b, "f", b"new", 0o644, 0, 11);
    add_link(&mut b, EntryType::Symlink, "s", "/x");
    add_file(&mut b, "s", b"not a link", 0o644, 0, 12);
    b.finish().unwrap();
    sb.unpack(&b.into_inner().unwrap(), &ROOTFUL).unwrap();
    let d = sb.dest();
    assert_eq!(fs::read(d.join("x/y")).unwrap(), b"child");
    assert_eq!(fs::read(d.join("d/keep")).unwrap(), b"keep");
    let m = fs::metadata(d.join("d")).unwrap();
    assert_eq!((m.mode() & 0o777, m.mtime()), (0o700, 6));
    assert_eq!(fs::read(d.join("gone")).unwrap(), b"now a file");
    assert_eq!(fs::metadata(d.join("gone")).unwrap().mtime(), 9);
    assert_eq!(fs::read(d.join("f")).unwrap(), b"new");
    assert!(fs::symlink_metadata(d.join("s")).unwrap().is_file());
}

#[test]
fn root_entry_sets_root_metadata() {
    let sb = Sandbox::new();
    let mut raw = Vec::new();
    let mut h = raw_header(b"./", EntryType::Directory, 0, b"");
    h.set_mode(0o711);
    h.set_cksum();
    raw.extend_from_slice(h.as_bytes());
    raw_entry(&mut raw, b"./a", EntryType::Regular, b"a", b"");
    sb.unpack(&raw_finish(raw), &ROOTFUL).unwrap();
    let m = fs::metadata(sb.dest()).unwrap();
    assert_eq!((m.mode() & 0o777, m.mtime()), (0o711, 1_000_000));
    let mut raw = Vec::new();
    raw_entry(&mut raw, b"/", EntryType::Regular, b"", b"");
    assert!(Sandbox::new().unpack(&raw_finish(raw), &ROOTFUL).is_err());
}

fn assert_escape_fails(entries: &[(&[u8], EntryType, &[u8])], want: &str) {
    let sb = Sandbox::new();
    let mut raw = Vec::new();
    for (name, kind, link) in entries {
        let data: &[u8] = if *kind == EntryType::Regular {
            b"evil"
        } else {
            b""
        };
        raw_entry(&mut raw, name, *kind, data, link);
    }
    let err = sb.unpack(&raw_finish(raw), &ROOTFUL).unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains(want), "{msg}");
    sb.assert_outside_untouched();
}

#[test]
fn escapes_are_errors() {
    use EntryType::*;
    assert_escape_fails(
        &[(b"../evil", Regular, b"")],
        r#"tar entry "../evil" escapes the layer root"#,
    );
    assert_escape_fails(&[(b"a/../../evil", Regular, b"")], "escapes the layer root");
    assert_escape_fails(&[(b"/../evil", Directory, b"")], "escapes the layer root");
    assert_escape_fails(
        &[(b"l", Link, b"../../etc/passwd")],
        "escapes the layer root",
    );
    // A hard link through an in-layer symlink to the host's /etc resolves inside the layer.
    assert_escape_fails(
        &[(b"s", Symlink, b"/etc"), (b"h", Link, b"s/passwd")],
        "target not found",
    );
    assert_escape_fails(
        &[(b"s", Symlink, b"/"), (b"h", Link, b"s/etc/passwd")],
        "target not found",
    );
}

#[test]
fn symlinks_climbing_above_the_root_resolve_inside_it() {
    // Podman keeps such links (Docker refuses them); writing through one stays inside.
    let sb = Sandbox::new();
    let mut raw = Vec::new();
    raw_entry(&mut raw, b"a", EntryType::Symlink, b"", b"../..");
    raw_entry(&mut raw, b"a/evil", EntryType::Regular, b"evil", b"");
    raw_entry(&mut raw, b"x/y/l", EntryType::Symlink, b"", b"../../../z");
    sb.unpack(&raw_finish(raw), &ROOTFUL).unwrap();
    sb.assert_outside_untouched();
    assert_eq!(fs::read(sb.dest().join("evil")).unwrap(), b"evil");
    assert_eq!(
        fs::read_link(sb.dest().join("x/y/l")).unwrap(),
        Path::new("../../../z")
    );
}

#[test]
fn symlinked_parents_resolve_inside_the_layer() {
    // Docker and Podman unpack in a chroot: `a -> /` then `a/evil` writes `<layer>/evil`.
    let sb = Sandbox::new();
    let mut raw = Vec::new();
    raw_entry(&mut raw, b"a", EntryType::Symlink, b"", b"/");
    raw_entry(&mut raw, b"a/evil", EntryType::Regular, b"evil", b"");
    raw_entry(&mut raw, b"up", EntryType::Symlink, b"", b"sub/../..");
    raw_entry(&mut raw, b"b", EntryType::Symlink, b"", b"/../../..");
    raw_entry(&mut raw, b"b/evil2", EntryType::Regular, b"evil", b"");
    sb.unpack(&raw_finish(raw), &ROOTFUL).unwrap();
    sb.assert_outside_untouched();
    assert_eq!(fs::read(sb.dest().join("evil")).unwrap(), b"evil");

    let sb = Sandbox::new();
    let mut raw = Vec::new();
    raw_entry(&mut raw, b"a", EntryType::Symlink, b"", b"/");
    raw_entry(&mut raw, b"a/evil", EntryType::Regular, b"evil", b"");
    raw_entry(&mut raw, b"b", EntryType::Symlink, b"", b"/../../..");
    raw_entry(&mut raw, b"b/evil2", EntryType::Regular, b"evil", b"");
    sb.unpack(&raw_finish(raw), &ROOTFUL).unwrap();
    sb.assert_outside_untouched();
    assert_eq!(fs::read(sb.dest().join("evil")).unwrap(), b"evil");
    assert_eq!(fs::read(sb.dest().join("evil2")).unwrap(), b"evil");
}

#[test]
fn truncated_and_corrupt_streams_error() {
    let tar = rich_tar();
    let gz = gzip(&tar);
    let zs = zstd::encode_all(&tar[..], 3).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "tar mid-file",
            tar[..512 * 3 + 5].to_vec(),
            "reading layer: unexpected end of tar stream",
        ),
        (
            "tar mid-header",
            tar[..512 * 2 + 100].to_vec(),
            "reading layer: unexpected end of tar stream",
        ),
        ("gzip", gz[..gz.len() / 2].to_vec(), "reading layer: gzip"),
        (
            "gzip header",
            vec![0x1f, 0x8b, 9, 9, 9, 9, 9],
            "reading layer: gzip",
        ),
        ("zstd", zs[..zs.len() / 2].to_vec(), "reading layer: zstd"),
        ("garbage", vec![b'x'; 2048], "reading layer: "),
    ];
    for (what, data, want) in cases {
        let sb = Sandbox::new();
        let err = sb.unpack(&data, &ROOTFUL).unwrap_err();
        assert!(err.to_string().starts_with(want), "{what}: {err:#}");
        sb.assert_outside_untouched();
    }
}

#[test]
fn diff_id_covers_the_whole_uncompressed_stream() {
    let mut tar = rich_tar();
    tar.resize(tar.len().div_ceil(10240) * 10240 + 10240, 0);
    let sb = Sandbox::new();
    let stats = sb.unpack(&gzip(&tar), &ROOTFUL).unwrap();
    assert_eq!(stats.diff_id, Digest::of(&tar));
    assert_eq!(stats.tar_size, tar.len() as u64);
    let sb = Sandbox::new();
    let stats = sb
        .unpack(&zstd::encode_all(&tar[..], 1).unwrap(), &ROOTFUL)
        .unwrap();
    assert_eq!(stats.diff_id, Digest::of(&tar));

    let sb = Sandbox::new();
    let stats = sb.unpack(b"", &ROOTFUL).unwrap();
    assert_eq!(stats.diff_id, Digest::of(b""));
}

#[test]
fn mutated_streams_never_panic() {
    let tar = rich_tar();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..150 {
        let mut data = tar.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let i = (seed as usize) % data.len();
            data[i] = (seed >> 32) as u8;
        }
        let sb = Sandbox::new();
        let _ = sb.unpack(&data, &ROOTFUL);
        sb.assert_outside_untouched();
    }
}

/// Everything about a tree that a layer carries, as comparable text.
fn describe(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for p in names {
            let m = fs::symlink_metadata(&p).unwrap();
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let ft = m.file_type();
            let what = if ft.is_symlink() {
                format!("link {}", fs::read_link(&p).unwrap().display())
            } else if ft.is_file() {
                format!("file {:?} nlink {}", fs::read(&p).unwrap(), m.nlink())
            } else if ft.is_dir() {
                stack.push(p.clone());
                format!("dir opaque {:?}", xattr(&p, "trusted.overlay.opaque"))
            } else {
                format!("special rdev {}", m.rdev())
            };
            let mtime = if ft.is_symlink() { 0 } else { m.mtime() };
            let user = xattr(&p, "user.test");
            out.push(format!(
                "{rel}: {what} mode {:o} {}:{} mtime {mtime} {user:?}",
                m.mode(),
                m.uid(),
                m.gid()
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn pack_round_trips_through_unpack() {
    let first = Sandbox::new();
    let mut raw = Vec::new();
    raw_entry(&mut raw, b"w/.wh.gone", EntryType::Regular, b"", b"");
    raw_entry(&mut raw, b"o/.wh..wh..opq", EntryType::Regular, b"", b"");
    raw_entry(&mut raw, b"o/in", EntryType::Regular, b"in", b"");
    let mut tar = rich_tar();
    tar.truncate(tar.len() - 1024); // drop the end-of-archive blocks
    tar.extend_from_slice(&raw);
    tar.extend_from_slice(&[0; 1024]);
    first.unpack(&tar, &ROOTFUL).unwrap();

    let mut packed = Vec::new();
    pack_dir(&first.dest(), &mut packed).unwrap();
    let mut again = Vec::new();
    pack_dir(&first.dest(), &mut again).unwrap();
    assert_eq!(packed, again, "pack is not deterministic");

    let second = Sandbox::new();
    let stats = second.unpack(&packed, &ROOTFUL).unwrap();
    assert_eq!(stats.diff_id, Digest::of(&packed));
    assert_eq!(describe(&first.dest()), describe(&second.dest()));
    assert!(
        describe(&second.dest())
            .iter()
            .any(|l| l.starts_with("o: dir opaque Some([121])"))
    );
    assert!(
        describe(&second.dest())
            .iter()
            .any(|l| l.starts_with("w/gone: special rdev 0"))
    );
    assert_eq!(
        xattr(&second.dest().join("etc/xattr"), "trusted.t").unwrap(),
        b"1"
    );

    // The packed tar names whiteouts the OCI way.
    let mut names = Vec::new();
    for e in tar::Archive::new(&packed[..]).entries().unwrap() {
        names.push(String::from_utf8_lossy(&e.unwrap().path_bytes()).into_owned());
    }
    assert!(names.contains(&"w/.wh.gone".to_string()), "{names:?}");
    assert!(names.contains(&"o/.wh..wh..opq".to_string()), "{names:?}");
    assert!(names.contains(&"etc/".to_string()), "{names:?}");
}

/// `SKIFF_BENCH_TAR=/path/layer.tar[.gz] cargo test --release --lib layer::tests::bench -- --ignored --nocapture`
#[test]
#[ignore]
fn bench_unpack() {
    let Ok(path) = std::env::var("SKIFF_BENCH_TAR") else {
        return;
    };
    let sb = Sandbox::new();
    let start = std::time::Instant::now();
    let stats = sb.unpack(&fs::read(path).unwrap(), &ROOTFUL).unwrap();
    let took = start.elapsed();
    eprintln!(
        "unpacked {} bytes in {took:?} ({:.0} MB/s)",
        stats.tar_size,
        stats.tar_size as f64 / took.as_secs_f64() / 1e6
    );
}

#[test]
#[ignore]
fn bench_decompress() {
    let Ok(path) = std::env::var("SKIFF_BENCH_TAR") else {
        return;
    };
    let data = fs::read(path).unwrap();
    let start = std::time::Instant::now();
    let (_, mut r) = decompressor(&data[..]).unwrap();
    let n = std::io::copy(&mut r, &mut std::io::sink()).unwrap();
    eprintln!("decompressed {n} bytes in {:?}", start.elapsed());
}
