//! Issue 11, items 1, 3 and 9: `cp`, `commit`, `diff`, `export` and `rm` of containers that
//! fight back (symlinks and `..` aimed at the host, directories swapped for symlinks while
//! they are read, FIFOs, trees deeper than PATH_MAX and than the fd limit), as root and
//! rootless.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;

use common::Env;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const IMG: &str = "localhost/skiff-test/busybox:latest";

fn ready(env: &Env) {
    env.load_test_image("busybox.tar").success();
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Waits until `cmd` succeeds inside the running container `name`.
fn wait_exec(env: &Env, name: &str, cmd: &str) {
    let start = Instant::now();
    loop {
        let out = env.skiff(&["exec", name, "sh", "-c", cmd]);
        if out.code() == Some(0) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{}",
            out.report(cmd)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every file below `dir` (not following symlinks) with its contents, for "nothing changed".
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                out.push((e.path(), std::fs::read(e.path()).unwrap()));
            } else {
                out.push((e.path(), Vec::new()));
            }
        }
    }
    out.sort();
    out
}

/// Whether `needle` occurs in any regular file below `dir` (symlinks not followed).
fn tree_contains(dir: &Path, needle: &[u8]) -> bool {
    let meta = std::fs::symlink_metadata(dir).unwrap();
    if meta.file_type().is_symlink() {
        // Copied as a symlink (it may well point at the host dir: that is the link, not
        // a host file read).
        return false;
    }
    if meta.is_file() {
        let data = std::fs::read(dir).unwrap();
        return data.windows(needle.len()).any(|w| w == needle);
    }
    snapshot(dir).iter().any(|(p, data)| {
        data.windows(needle.len()).any(|w| w == needle) || s(p).contains("hostonly")
    })
}

/// The host directory a hostile container aims at: a marker file, and a name only the host has.
fn host_target(env: &Env) -> PathBuf {
    env.write("hostdir/marker", "HOSTSECRET\n");
    env.write("hostdir/hostonly-name", "HOSTSECRET\n");
    env.path().join("hostdir")
}

both!(
    cp_resolves_container_paths_inside_the_container,
    |env: &Env| {
        ready(env);
        let host = host_target(env);
        let hp = s(&host).to_string();
        let before = snapshot(&host);
        let payload = env.write("payload", "PAYLOAD\n");
        let hostfifo_dir = env.path().join("hostfifo");
        env.run_as(&["mkdir", s(&hostfifo_dir)]).success();
        env.run_as(&["mkfifo", s(&hostfifo_dir.join("pipe"))])
            .success();
        env.write("hostfifo/plain", "plain\n");
        let setup = format!(
            "ln -s {hp} /evil && ln -s / /r && ln -s ../../../../.. /up && mkdir -p /d/sub && \
         echo in > /d/f && mkfifo /d/fifo && mkfifo /fifo && ln -s {hp}/marker /d/abs"
        );
        for running in [false, true] {
            let name = if running { "cpr" } else { "cps" };
            if running {
                env.skiff(&[
                    "run",
                    "-d",
                    "--name",
                    name,
                    IMG,
                    "sh",
                    "-c",
                    &format!("{setup} && sleep 1000"),
                ])
                .success();
                wait_exec(env, name, "test -p /fifo");
            } else {
                env.skiff(&["run", "--name", name, IMG, "sh", "-c", &setup])
                    .success();
            }
            let out = env.path().join(format!("out-{name}"));
            // Reads through symlinks and `..` stay inside the container.
            for src in [
                "/evil/marker".to_string(),
                format!("/r{hp}/marker"),
                format!("/../../../../..{hp}/marker"),
                format!("/up{hp}/marker"),
                "/evil/../evil/marker".to_string(),
                format!("/r{hp}"),
                "/evil".to_string() + "/",
            ] {
                let o = env
                    .skiff(&["cp", &format!("{name}:{src}"), s(&out)])
                    .fails();
                assert!(
                    o.stderr().contains("could not be found on container"),
                    "{}",
                    o.report(&src)
                );
                assert!(!out.exists(), "cp {src} created {}", out.display());
            }
            // A symlink copied out is copied as a symlink, not followed on the host.
            env.skiff(&["cp", &format!("{name}:/d/abs"), s(&out)])
                .success();
            assert!(
                std::fs::symlink_metadata(&out)
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
            std::fs::remove_file(&out).unwrap();
            // Writes through symlinks and `..` stay inside the container.
            for dest in [
                "/evil/w1".to_string(),
                format!("/r{hp}/w2"),
                format!("/../../../../..{hp}/w3"),
                format!("/up{hp}/w4"),
                "/evil/".to_string(),
                "/evil".to_string(),
                "/d/abs".to_string(),
            ] {
                let _ = env.skiff(&["cp", s(&payload), &format!("{name}:{dest}")]);
                assert_eq!(
                    snapshot(&host),
                    before,
                    "cp payload {name}:{dest} wrote on the host"
                );
            }
            // What went in through /r lands inside the container.
            let back = env.path().join(format!("back-{name}"));
            env.skiff(&["cp", &format!("{name}:{hp}/w2"), s(&back)])
                .success();
            assert_eq!(std::fs::read_to_string(&back).unwrap(), "PAYLOAD\n");
            // FIFOs are copied as FIFOs, never opened (this used to hang).
            let outd = env.path().join(format!("outd-{name}"));
            env.skiff(&["cp", &format!("{name}:/d"), s(&outd)])
                .success();
            assert_eq!(std::fs::read_to_string(outd.join("f")).unwrap(), "in\n");
            assert!(
                std::fs::symlink_metadata(outd.join("fifo"))
                    .unwrap()
                    .file_type()
                    .is_fifo()
            );
            assert!(outd.join("sub").is_dir());
            let fifo_out = env.path().join(format!("fifo-{name}"));
            env.skiff(&["cp", &format!("{name}:/fifo"), s(&fifo_out)])
                .success();
            assert!(
                std::fs::symlink_metadata(&fifo_out)
                    .unwrap()
                    .file_type()
                    .is_fifo()
            );
            // docker semantics: SRC/. copies the contents; an existing directory receives SRC.
            let outc = env.path().join(format!("outc-{name}"));
            env.skiff(&["cp", &format!("{name}:/d/."), s(&outc)])
                .success();
            assert_eq!(std::fs::read_to_string(outc.join("f")).unwrap(), "in\n");
            let oute = env.path().join(format!("oute-{name}"));
            env.run_as(&["mkdir", s(&oute)]).success();
            env.skiff(&["cp", &format!("{name}:/d"), s(&oute)])
                .success();
            assert_eq!(std::fs::read_to_string(oute.join("d/f")).unwrap(), "in\n");
            // A host FIFO goes in as a FIFO (not opened), into an existing dir and as contents.
            env.skiff(&["cp", s(&hostfifo_dir), &format!("{name}:/d")])
                .success();
            env.skiff(&[
                "cp",
                &format!("{s}/.", s = s(&hostfifo_dir)),
                &format!("{name}:/new"),
            ])
            .success();
            let outf = env.path().join(format!("outf-{name}"));
            env.skiff(&["cp", &format!("{name}:/d/hostfifo"), s(&outf)])
                .success();
            assert!(
                std::fs::symlink_metadata(outf.join("pipe"))
                    .unwrap()
                    .file_type()
                    .is_fifo()
            );
            assert_eq!(
                std::fs::read_to_string(outf.join("plain")).unwrap(),
                "plain\n"
            );
            let outn = env.path().join(format!("outn-{name}"));
            env.skiff(&["cp", &format!("{name}:/new/plain"), s(&outn)])
                .success();
            assert_eq!(std::fs::read_to_string(&outn).unwrap(), "plain\n");
            // A file copied onto a new name in an existing directory.
            env.skiff(&["cp", s(&payload), &format!("{name}:/d/renamed")])
                .success();
            let outr = env.path().join(format!("outr-{name}"));
            env.skiff(&["cp", &format!("{name}:/d/renamed"), s(&outr)])
                .success();
            assert_eq!(std::fs::read_to_string(&outr).unwrap(), "PAYLOAD\n");
            // Missing paths: Podman's words, with the container's name.
            env.skiff(&["cp", &format!("{name}:/nope"), s(&out)])
                .fails()
                .stderr_has(&format!("\"/nope\" could not be found on container {name}"));
            // A symlink to `/` is exported as `/`, not `//`.
            let tar = env.path().join(format!("export-{name}.tar"));
            env.skiff(&["export", "-o", s(&tar), name]).success();
            let listing = env.run_as(&["tar", "-tvf", s(&tar)]).success().stdout();
            let line = listing
                .lines()
                .find(|l| l.ends_with(" r -> /") || l.contains(" r -> "))
                .unwrap_or_else(|| panic!("no r in {listing}"));
            assert!(line.ends_with(" r -> /"), "{line}");
            env.skiff(&["rm", "-f", name]).success();
        }
        assert_eq!(snapshot(&host), before);
    }
);

/// A static helper that makes /x/a (a directory) and /x/b (a symlink to the host dir given)
/// and swaps them with renameat2(RENAME_EXCHANGE) forever.
fn build_racer(env: &Env) -> PathBuf {
    common::build_static(
        env,
        "racer",
        r#"#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
    mkdir("/x", 0755);
    mkdir("/x/a", 0755);
    FILE *f = fopen("/x/a/marker", "w");
    fputs("INNOCENT\n", f);
    fclose(f);
    symlink(argv[1], "/x/b");
    for (;;) renameat2(AT_FDCWD, "/x/a", AT_FDCWD, "/x/b", RENAME_EXCHANGE);
}
"#,
    )
}

both!(
    commit_diff_export_cp_never_read_host_files_under_a_swap_race,
    |env: &Env| {
        ready(env);
        let host = host_target(env);
        let racer = build_racer(env);
        env.skiff(&["create", "--name", "racer", IMG, "/racer", s(&host)])
            .success();
        env.skiff(&["cp", s(&racer), "racer:/racer"]).success();
        env.skiff(&["start", "racer"]).success();
        wait_exec(env, "racer", "test -e /x/a/marker || test -e /x/b/marker");
        for i in 0..25 {
            let diff = env.skiff(&["diff", "racer"]).success().stdout();
            assert!(
                !diff.contains("hostonly"),
                "diff listed a host name:\n{diff}"
            );
            let tar = env.path().join("race.tar");
            env.skiff(&["export", "-o", s(&tar), "racer"]).success();
            let bytes = std::fs::read(&tar).unwrap();
            assert!(
                !bytes
                    .windows(10)
                    .any(|w| w == b"HOSTSECRET" || w == b"hostonly-n"),
                "export {i} packed a host file"
            );
            let img = format!("localhost/race{i}");
            env.skiff(&["commit", "racer", &img]).success();
            let seen = env
                .skiff(&[
                    "run",
                    "--rm",
                    "--entrypoint",
                    "",
                    &img,
                    "sh",
                    "-c",
                    "grep -r HOSTSECRET /x; find /x -name 'hostonly*'",
                ])
                .stdout();
            assert!(seen.is_empty(), "commit {i} packed a host file: {seen}");
            env.skiff(&["rmi", &img]).success();
        }
        for i in 0..25 {
            for from in ["/x/a", "/x/b", "/x/a/.", "/x/b/marker", "/x/a/marker"] {
                let out = env.path().join(format!("race-out-{i}"));
                let _ = env.skiff(&["cp", &format!("racer:{from}"), s(&out)]);
                if out.exists() {
                    assert!(
                        !tree_contains(&out, b"HOSTSECRET") && !s(&out).contains("hostonly"),
                        "cp racer:{from} read a host file"
                    );
                    env.run_as(&["rm", "-rf", s(&out)]).success();
                }
            }
        }
        env.skiff(&["rm", "-f", "racer"]).success();
    }
);

fn store_files(env: &Env, sub: &str) -> usize {
    let out = env
        .run_as(&["find", s(&env.root_dir().join(sub)), "-mindepth", "1"])
        .stdout();
    out.lines().count()
}

const DEEPMK: &str = r#"#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
    int n = atoi(argv[1]), fd = open("/", O_PATH | O_DIRECTORY);
    for (int i = 0; i < n; i++) {
        if (mkdirat(fd, "d", 0755)) return 1;
        int next = openat(fd, "d", O_PATH | O_DIRECTORY);
        if (next < 0) return 2;
        close(fd);
        fd = next;
    }
    int f = openat(fd, "f", O_CREAT | O_WRONLY, 0644);
    return write(f, "bottom\n", 7) == 7 ? 0 : 3;
}
"#;

/// A stopped container `name` whose /d holds a `depth`-level tree of `d` dirs, then `f`.
fn deep_container(env: &Env, name: &str, depth: usize) {
    let mk = common::build_static(env, "deepmk", DEEPMK);
    env.skiff(&["create", "--name", name, IMG, "/deepmk", &depth.to_string()])
        .success();
    env.skiff(&["cp", s(&mk), &format!("{name}:/deepmk")])
        .success();
    env.skiff(&["start", name]).success();
    assert_eq!(env.skiff(&["wait", name]).success().stdout().trim(), "0");
}

// 30,000 levels: more than the fd limit (a recursive walk or removal runs out of fds) and
// far deeper than PATH_MAX. diff and rm at that depth; export, commit and cp at 5,000 levels
// (10 KB paths, past PATH_MAX: a tar of 30,000 levels holds ~900 MB of GNU long names, too
// slow for a debug build).
/// Removes what a failed run left below the env with `rm -rf` (the test harness's own
/// cleanup is recursive and overflows its stack on a 30,000-level tree).
struct RmRf(PathBuf);

impl Drop for RmRf {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-R")
            .arg(self.0.join("runroot"))
            .status();
        let _ = std::process::Command::new("rm")
            .arg("-rf")
            .arg(self.0.join("root"))
            .arg(self.0.join("deep-out"))
            .status();
    }
}

both!(deep_trees_diff_export_commit_cp_and_rm, |env: &Env| {
    let _cleanup = RmRf(env.path().to_path_buf());
    ready(env);
    let layers_before = store_files(env, "layers");
    for (name, depth) in [("deep", 30000), ("mid", 5000)] {
        let t = Instant::now();
        deep_container(env, name, depth);
        eprintln!("{name}: made a {depth}-deep tree in {:?}", t.elapsed());
        let t = Instant::now();
        let diff = env.skiff(&["diff", name]).success().stdout();
        let lines: Vec<&str> = diff
            .lines()
            .filter(|l| *l == "A /d" || l.starts_with("A /d/"))
            .collect();
        assert_eq!(lines.len(), depth + 1, "{}", &diff[..diff.len().min(300)]);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("A /d/d/") && l.ends_with("/d/f"))
        );
        eprintln!("{name}: diff {:?}", t.elapsed());
        if depth <= 5000 {
            let t = Instant::now();
            let tar = env.path().join("deep.tar");
            env.skiff(&["export", "-o", s(&tar), name]).success();
            let listing = env.run_as(&["tar", "-tf", s(&tar)]).success().stdout();
            assert!(listing.lines().any(|l| l.ends_with("/d/f")));
            std::fs::remove_file(&tar).unwrap();
            eprintln!("{name}: export {:?}", t.elapsed());
            let t = Instant::now();
            env.skiff(&["commit", name, "localhost/deep"]).success();
            eprintln!("{name}: commit {:?}", t.elapsed());
            let t = Instant::now();
            let out = env.path().join("deep-out");
            env.skiff(&["cp", &format!("{name}:/d"), s(&out)]).success();
            let found = env
                .run_as(&["find", s(&out), "-name", "f"])
                .success()
                .stdout();
            assert_eq!(found.lines().count(), 1, "{found}");
            env.run_as(&["rm", "-rf", s(&out)]).success();
            eprintln!("{name}: cp {:?}", t.elapsed());
        }
        let t = Instant::now();
        env.skiff(&["rm", name]).success();
        eprintln!("{name}: rm {:?}", t.elapsed());
        assert_eq!(store_files(env, "containers"), 0);
        assert!(!env.skiff(&["ps", "-a"]).success().stdout().contains(name));
    }
    env.skiff(&["rmi", "localhost/deep"]).success();
    assert_eq!(store_files(env, "layers"), layers_before);
});

/// A removal that fails keeps the container, marked, for the next `rm` or prune: its files
/// never stay in the store unseen. (Root only: an immutable file is what makes it fail.)
/// Takes the immutable flag off again whatever happens (the harness could not remove it).
struct Mutable(PathBuf);

impl Drop for Mutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr")
            .arg("-i")
            .arg(&self.0)
            .status();
    }
}

#[test]
fn failed_removal_keeps_the_container_for_the_next_rm() {
    let env = Env::root();
    ready(&env);
    env.skiff(&[
        "run",
        "--name",
        "stuck",
        IMG,
        "sh",
        "-c",
        "mkdir /keep && echo x > /keep/f",
    ])
    .success();
    let id = env
        .skiff(&["inspect", "--format", "{{.Id}}", "stuck"])
        .success()
        .stdout()
        .trim()
        .to_string();
    let f = env.root_dir().join(format!("containers/{id}/upper/keep/f"));
    assert!(f.exists(), "{}", f.display());
    let _undo = Mutable(f.clone());
    env.run_as(&["chattr", "+i", s(&f)]).success();
    let o = env.skiff(&["rm", "stuck"]).fails();
    assert!(o.stderr().contains("run rm again"), "{}", o.report("rm"));
    // Still there, still listed, files still accounted for.
    assert!(
        env.skiff(&["ps", "-a"])
            .success()
            .stdout()
            .contains("stuck")
    );
    assert!(f.exists());
    env.run_as(&["chattr", "-i", s(&f)]).success();
    // `container prune` retries it.
    env.skiff(&["container", "prune", "-f"]).success();
    assert!(
        !env.skiff(&["ps", "-a"])
            .success()
            .stdout()
            .contains("stuck")
    );
    assert_eq!(store_files(&env, "containers"), 0);
    // And `rm` retries one too.
    env.skiff(&[
        "run",
        "--name",
        "stuck2",
        IMG,
        "sh",
        "-c",
        "mkdir /keep && echo x > /keep/f",
    ])
    .success();
    let id = env
        .skiff(&["inspect", "--format", "{{.Id}}", "stuck2"])
        .success()
        .stdout()
        .trim()
        .to_string();
    let f = env.root_dir().join(format!("containers/{id}/upper/keep/f"));
    let _undo2 = Mutable(f.clone());
    env.run_as(&["chattr", "+i", s(&f)]).success();
    env.skiff(&["rm", "stuck2"]).fails();
    env.run_as(&["chattr", "-i", s(&f)]).success();
    env.skiff(&["rm", "stuck2"]).success();
    assert_eq!(store_files(&env, "containers"), 0);
}
