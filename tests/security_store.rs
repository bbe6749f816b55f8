//! Security of the store's inputs (issue 11): layers that claim more than they hold, images
//! with more layers than one overlay option string can name, volumes and their copy-up,
//! `run --rm` leaving no volume behind, and pulls from registries that stall.

mod common;
#[path = "support/store.rs"]
#[macro_use]
mod store;
#[path = "support/oci.rs"]
mod oci;

use common::Env;
use oci::{OciArchive, tar_of};
use store::refused;

/// A raw tar header block: `name`, type `kind`, `size` as the header's size field.
fn header(name: &str, kind: u8, size: u64) -> tar::Header {
    let mut h = tar::Header::new_gnu();
    h.set_path(name).unwrap();
    h.set_mode(0o644);
    h.set_mtime(1_700_000_000);
    h.set_entry_type(tar::EntryType::new(kind));
    h.set_size(size);
    h
}

/// Ends a hand-made tar stream: two zero blocks.
fn finish(mut tar: Vec<u8>) -> Vec<u8> {
    tar.extend_from_slice(&[0u8; 1024]);
    tar
}

fn block(h: &mut tar::Header) -> Vec<u8> {
    h.set_cksum();
    h.as_bytes().to_vec()
}

/// An old-GNU sparse entry (type 'S') of one data byte that claims a real size of 1 GiB.
fn gnu_sparse_layer() -> Vec<u8> {
    let mut h = header("big", b'S', 512);
    let gnu = h.as_gnu_mut().unwrap();
    gnu.sparse[0].set_offset((1 << 30) - 512);
    gnu.sparse[0].set_length(512);
    gnu.set_real_size(1 << 30);
    let mut tar = block(&mut h);
    tar.extend_from_slice(&[b'x'; 512]);
    finish(tar)
}

/// A PAX (GNU 1.0 format) sparse entry: type '0' with `GNU.sparse.*` records.
fn pax_sparse_layer() -> Vec<u8> {
    let mut records = Vec::new();
    for (k, v) in [
        ("GNU.sparse.major", "1"),
        ("GNU.sparse.minor", "0"),
        ("GNU.sparse.name", "big"),
        ("GNU.sparse.realsize", "1073741824"),
    ] {
        let body = format!(" {k}={v}\n");
        // The length prefix counts itself.
        let mut len = body.len() + 1;
        while format!("{len}{body}").len() != len {
            len += 1;
        }
        records.extend_from_slice(format!("{len}{body}").as_bytes());
    }
    let mut tar = block(&mut header("PaxHeaders/big", b'x', records.len() as u64));
    tar.extend_from_slice(&records);
    tar.resize(tar.len().div_ceil(512) * 512, 0);
    // The sparse map (1 entry: offset 1 GiB - 512, 512 bytes), then the data.
    let mut data = b"1\n1073741312\n512\n".to_vec();
    data.resize(512, 0);
    data.extend_from_slice(&[b'x'; 512]);
    tar.extend_from_slice(&block(&mut header("GNUSparseFile.0/big", b'0', 1024)));
    tar.extend_from_slice(&data);
    finish(tar)
}

both!(sparse_layers_are_refused, |env: &Env| {
    for (what, layer) in [("gnu", gnu_sparse_layer()), ("pax", pax_sparse_layer())] {
        let a = OciArchive::new(
            &format!("localhost/sparse-{what}:latest"),
            &[tar_of(&[("ok", b"ok\n")]), layer],
        );
        refused(env, &a.build(), "sparse");
    }
});

both!(
    headers_claiming_more_than_the_data_are_refused,
    |env: &Env| {
        // A regular file whose size field says 1 GiB, followed by 512 bytes and the end blocks;
        // and the same size given by a PAX record over a small header.
        let mut tar = block(&mut header("big", b'0', 1 << 30));
        tar.extend_from_slice(&[b'x'; 512]);
        let claims_in_header = finish(tar);
        let record = "19 size=1073741824\n";
        let mut tar = block(&mut header("PaxHeaders/big", b'x', record.len() as u64));
        tar.extend_from_slice(record.as_bytes());
        tar.resize(tar.len().div_ceil(512) * 512, 0);
        tar.extend_from_slice(&block(&mut header("big", b'0', 512)));
        tar.extend_from_slice(&[b'x'; 512]);
        let claims_in_pax = finish(tar);
        for layer in [claims_in_header, claims_in_pax] {
            let a = OciArchive::new("localhost/claims:latest", &[layer]);
            refused(env, &a.build(), "unexpected end of tar stream");
        }
    }
);

/// The busybox test image's one layer, uncompressed.
fn busybox_layer() -> Vec<u8> {
    use std::io::Read;
    let archive = std::fs::read(common::test_images().join("busybox.tar")).unwrap();
    let mut largest = Vec::new();
    for entry in tar::Archive::new(archive.as_slice()).entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if data.len() > largest.len() {
            largest = data;
        }
    }
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(largest.as_slice())
        .read_to_end(&mut tar)
        .unwrap();
    tar
}

/// busybox and then 127 layers, layer `i` adding `/f<i>` (busybox is layer 1).
fn many_layers_image(env: &Env, name: &str, count: usize) {
    let mut layers = vec![busybox_layer()];
    for i in 2..=count {
        let file = format!("f{i}");
        layers.push(tar_of(&[(&file, format!("layer {i}\n").as_bytes())]));
    }
    let a = OciArchive::new(name, &layers);
    env.skiff_stdin(&["load"], &a.build()).success();
}

both!(an_image_of_128_layers_runs_and_builds, |env: &Env| {
    let img = "localhost/many:latest";
    many_layers_image(env, img, 128);
    let out = env
        .skiff(&["run", "--rm", img, "/bin/cat", "/f2", "/f64", "/f128"])
        .success();
    assert_eq!(out.stdout(), "layer 2\nlayer 64\nlayer 128\n");
    env.write("ctx/hello", "hello\n");
    env.write(
        "ctx/Containerfile",
        format!(
            "FROM {img}\nCOPY hello /hello\nRUN /bin/cat /f2 /f128 /hello > /out\nCOPY hello /again\nRUN --mount=type=bind,from={img},target=/m /bin/cat /m/f127 > /mounted\n"
        ),
    );
    let ctx = env.path().join("ctx").display().to_string();
    env.skiff(&["build", "-t", "localhost/many-built", &ctx])
        .success();
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "localhost/many-built",
            "/bin/cat",
            "/out",
            "/again",
        ])
        .success();
    assert_eq!(out.stdout(), "layer 2\nlayer 128\nhello\nhello\n");
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "localhost/many-built",
            "/bin/cat",
            "/mounted",
        ])
        .success();
    assert_eq!(out.stdout(), "layer 127\n");
    // A container made without --rm (an upper dir kept, mounted by start) and `cp` out of
    // its merged view.
    env.skiff(&["create", "--name", "c", img, "/bin/cat", "/f127"])
        .success();
    let out = env.skiff(&["start", "-a", "c"]).success();
    assert_eq!(out.stdout(), "layer 127\n");
    // The merged view (diff, cp) and a squashed build (commit mounts the whole stack).
    env.skiff(&["diff", "c"]).success();
    let copied = env.path().join("f100").display().to_string();
    env.skiff(&["cp", "c:/f100", &copied]).success();
    let out = env.run_as(&["cat", &copied]).success();
    assert_eq!(out.stdout(), "layer 100\n");
    env.skiff(&[
        "build",
        "--squash-all",
        "-t",
        "localhost/many-squashed",
        &ctx,
    ])
    .success();
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "localhost/many-squashed",
            "/bin/cat",
            "/f3",
            "/out",
        ])
        .success();
    assert_eq!(out.stdout(), "layer 3\nlayer 2\nlayer 128\nhello\n");
});

/// A tar entry for [`layer`]: path, type, mode, uid, content (the link target for symlinks).
type Entry<'a> = (&'a str, u8, u32, u64, &'a [u8]);

fn layer(entries: &[Entry<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, kind, mode, uid, content) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_path(path).unwrap();
        h.set_entry_type(tar::EntryType::new(*kind));
        h.set_mode(*mode);
        h.set_uid(*uid);
        h.set_gid(*uid);
        h.set_mtime(1_700_000_000);
        if *kind == b'2' {
            h.set_link_name(std::str::from_utf8(content).unwrap())
                .unwrap();
            h.set_size(0);
            h.set_cksum();
            b.append(&h, &[][..]).unwrap();
        } else {
            h.set_size(content.len() as u64);
            h.set_cksum();
            b.append(&h, *content).unwrap();
        }
    }
    b.into_inner().unwrap()
}

/// busybox with `/data` (a VOLUME) holding `seed` (1000:1000, 0640), `sub/deep`, a symlink,
/// and `gone`, deleted again by a whiteout in the top layer.
fn volume_image(env: &Env, name: &str) {
    let seeded = layer(&[
        ("data", b'5', 0o750, 1000, b""),
        ("data/seed", b'0', 0o640, 1000, b"from the image\n"),
        ("data/sub", b'5', 0o755, 0, b""),
        ("data/sub/deep", b'0', 0o600, 2000, b"deep\n"),
        ("data/link", b'2', 0o777, 0, b"/etc/passwd"),
        ("data/gone", b'0', 0o644, 0, b"deleted above\n"),
        // Made with mknod, then chmod'ed through an fd (never through a name a link can take).
        ("data/pipe", b'6', 0o620, 0, b""),
        // Resolved inside the image: its own /etc, never the host's.
        ("vol", b'2', 0o777, 0, b"../../../../../etc"),
    ]);
    let whiteout = layer(&[
        ("data", b'5', 0o750, 1000, b""),
        ("data/.wh.gone", b'0', 0o644, 0, b""),
    ]);
    let mut a = OciArchive::new(name, &[busybox_layer(), seeded, whiteout]);
    a.set_image_config(r#"{"Cmd":["sh"],"Env":["PATH=/bin"],"Volumes":{"/data":{}}}"#);
    env.skiff_stdin(&["load"], &a.build()).success();
}

fn volumes(env: &Env) -> Vec<String> {
    env.skiff(&["volume", "ls", "-q"]).success().lines()
}

const LIST_DATA: &str = "cd /data && find . | sort && stat -c '%n %u:%g %a' . seed sub sub/deep pipe && readlink link && cat seed";

fn expected_listing(data_mode: &str) -> String {
    format!(
        ".\n./link\n./pipe\n./seed\n./sub\n./sub/deep\n. 1000:1000 {data_mode}\nseed 1000:1000 640\nsub 0:0 755\nsub/deep 2000:2000 600\npipe 0:0 620\n/etc/passwd\nfrom the image\n"
    )
}

both!(run_rm_removes_anonymous_volumes, |env: &Env| {
    let img = "localhost/vol:latest";
    volume_image(env, img);
    // The image's VOLUME, seeded from the image, and a `-v /anon` one.
    let out = env
        .skiff(&["run", "--rm", "-v", "/anon", img, "sh", "-c", LIST_DATA])
        .success();
    assert_eq!(out.stdout(), expected_listing("750"));
    assert_eq!(volumes(env), Vec::<String>::new(), "run --rm left volumes");
    // Detached: the monitor removes them.
    env.skiff(&["run", "-d", "--rm", "-v", "/anon", img, "true"])
        .success();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !volumes(env).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        volumes(env),
        Vec::<String>::new(),
        "run -d --rm left volumes"
    );
    // A named volume stays.
    env.skiff(&["run", "--rm", "-v", "keep:/data", img, "true"])
        .success();
    assert_eq!(volumes(env), vec!["keep".to_string()]);
});

both!(volumes_get_the_image_content_once, |env: &Env| {
    let img = "localhost/vol:latest";
    volume_image(env, img);
    let run = |args: &[&str]| {
        let mut argv = vec!["run", "--rm"];
        argv.extend_from_slice(args);
        env.skiff(&argv).success().stdout()
    };
    assert_eq!(
        run(&["-v", "vol:/data", img, "sh", "-c", LIST_DATA]),
        expected_listing("750")
    );
    // Copied once: what a container deletes stays deleted.
    run(&["-v", "vol:/data", img, "rm", "/data/seed"]);
    assert_eq!(
        run(&["-v", "vol:/data", img, "ls", "/data"]),
        "link\npipe\nsub\n"
    );
    // nocopy, on -v and on --mount; and a volume created with -o nocopy.
    assert_eq!(run(&["-v", "v2:/data:nocopy", img, "ls", "/data"]), "");
    let mount = "type=volume,src=v3,dst=/data,volume-nocopy";
    assert_eq!(run(&["--mount", mount, img, "ls", "/data"]), "");
    env.skiff(&["volume", "create", "-o", "nocopy", "v4"])
        .success();
    assert_eq!(run(&["-v", "v4:/data", img, "ls", "/data"]), "");
    // nocopy was for that mount only: the next one copies.
    assert_eq!(
        run(&["-v", "v2:/data", img, "ls", "/data"]),
        "link\npipe\nseed\nsub\n"
    );
    // A volume that already holds files is not written into.
    env.skiff(&["volume", "create", "v5"]).success();
    let mountpoint = env
        .skiff(&["volume", "inspect", "--format", "{{.Mountpoint}}", "v5"])
        .success()
        .stdout();
    let own = format!("{}/own", mountpoint.trim());
    env.run_as(&["sh", "-c", &format!("echo mine > {own}")])
        .success();
    assert_eq!(run(&["-v", "v5:/data", img, "ls", "/data"]), "own\n");
    // A mount point that is a symlink in the image is resolved inside the image.
    env.skiff(&["create", "-v", "v7:/vol", img, "true"])
        .success();
    let mountpoint = env
        .skiff(&["volume", "inspect", "--format", "{{.Mountpoint}}", "v7"])
        .success()
        .stdout();
    let listing = env.run_as(&["ls", mountpoint.trim()]).success().stdout();
    // The busybox image's /etc (a container's shows the hosts, hostname, resolv.conf mounts).
    assert_eq!(listing, "group\npasswd\n");
    // Mounted elsewhere than where the image has files: nothing to copy.
    assert_eq!(run(&["-v", "v6:/nowhere", img, "ls", "/nowhere"]), "");
});

/// What a [`fake_registry`] serves at paths ending in `suffix`: a media type and a body;
/// `stall`: send half the body (or, `headless`, not even the head), then nothing while
/// holding the connection.
struct Route {
    suffix: String,
    kind: &'static str,
    body: Vec<u8>,
    stall: bool,
    headless: bool,
}

const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";

/// The routes for `a`'s manifest (as `latest`), config and layers, `stall` on the layers.
fn image_routes(a: &OciArchive, stall: bool) -> Vec<Route> {
    let mut routes = vec![
        Route {
            suffix: "/manifests/latest".into(),
            kind: OCI_MANIFEST,
            body: a.manifest.clone(),
            stall: false,
            headless: false,
        },
        Route {
            suffix: oci::sha(&a.config),
            kind: "application/octet-stream",
            body: a.config.clone(),
            stall: false,
            headless: false,
        },
    ];
    for layer in &a.layers {
        routes.push(Route {
            suffix: oci::sha(layer),
            kind: "application/octet-stream",
            body: layer.clone(),
            stall,
            headless: false,
        });
    }
    routes
}

/// A plain-http registry on 127.0.0.1 answering `/v2/` and `routes` (GET and HEAD), 404
/// for the rest. Returns its port.
fn fake_registry(routes: Vec<Route>) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let routes = std::sync::Arc::new(routes);
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut out = conn;
                loop {
                    let mut line = String::new();
                    // A TLS hello (tried first) is no request: drop the connection.
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || !line.is_ascii() {
                        return;
                    }
                    let mut parts = line.split_whitespace();
                    let method = parts.next().unwrap_or("").to_string();
                    let path = parts.next().unwrap_or("").to_string();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                            break;
                        }
                    }
                    let ping = Route {
                        suffix: String::new(),
                        kind: "application/json",
                        body: b"{}".to_vec(),
                        stall: false,
                        headless: false,
                    };
                    let route = if path == "/v2/" {
                        Some(&ping)
                    } else {
                        routes.iter().find(|r| path.ends_with(&r.suffix))
                    };
                    let head = match route {
                        Some(r) => format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nDocker-Distribution-API-Version: registry/2.0\r\nDocker-Content-Digest: sha256:{}\r\n\r\n",
                            r.kind,
                            r.body.len(),
                            oci::sha(&r.body)
                        ),
                        None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".to_string(),
                    };
                    if route.is_some_and(|r| r.headless) {
                        std::thread::sleep(std::time::Duration::from_secs(120));
                        return;
                    }
                    let _ = out.write_all(head.as_bytes());
                    let Some(r) = route.filter(|_| method != "HEAD") else {
                        continue;
                    };
                    if r.stall {
                        let _ = out.write_all(&r.body[..r.body.len() / 2]);
                        let _ = out.flush();
                        std::thread::sleep(std::time::Duration::from_secs(120));
                        return;
                    }
                    let _ = out.write_all(&r.body);
                }
            });
        }
    });
    port
}

/// `pull` of `127.0.0.1:<port>/<name>:latest` fails with exit 125 and leaves no image.
fn pull_refused(env: &Env, port: u16, name: &str) -> String {
    let image = format!("127.0.0.1:{port}/{name}:latest");
    let mut cmd = env.skiff_command(&["pull", "--tls-verify=false", &image]);
    cmd.env("SKIFF_REGISTRY_READ_TIMEOUT", "2");
    let out = common::run_command(cmd, None).failure(125);
    assert_eq!(env.skiff(&["images", "-q"]).success().stdout(), "");
    out.stderr()
}

both!(a_registry_that_stops_sending_fails_the_pull, |env: &Env| {
    // Incompressible content, so that half the blob is a real part of it.
    let mut content = Vec::new();
    let mut x: u32 = 1;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        content.push((x >> 16) as u8);
    }
    let a = OciArchive::new("stall:latest", &[tar_of(&[("noise", &content)])]);
    let port = fake_registry(image_routes(&a, true));
    let layer = format!("sha256:{}", oci::sha(&a.layers[0]));
    let started = std::time::Instant::now();
    let err = pull_refused(env, port, "stall");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the pull took {:?}",
        started.elapsed()
    );
    assert!(err.contains(&layer), "the error names the blob: {err}");
    assert!(err.contains("read timeout"), "{err}");
    // A registry that never answers the blob request at all (a few tries, then the error).
    let mut routes = image_routes(&a, false);
    routes.last_mut().unwrap().headless = true;
    let started = std::time::Instant::now();
    let err = pull_refused(env, fake_registry(routes), "stall");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(40),
        "the pull took {:?}",
        started.elapsed()
    );
    assert!(err.contains(&layer), "the error names the blob: {err}");
    assert!(err.contains("timeout"), "{err}");
});

both!(pulled_layers_and_manifests_are_checked, |env: &Env| {
    // A sparse layer, pulled rather than loaded.
    let a = OciArchive::new("sparse:latest", &[gnu_sparse_layer()]);
    let err = pull_refused(env, fake_registry(image_routes(&a, false)), "sparse");
    assert!(err.contains("sparse"), "{err}");
    // A layer whose bytes are not what its digest says: the error names both digests.
    let a = OciArchive::new("mismatch:latest", &[tar_of(&[("f", b"one\n")])]);
    let mut routes = image_routes(&a, false);
    let want = format!("sha256:{}", oci::sha(&a.layers[0]));
    let other = oci::gzip(&tar_of(&[("f", b"two\n")]));
    let got = format!("sha256:{}", oci::sha(&other));
    routes.last_mut().unwrap().body = other;
    let err = pull_refused(env, fake_registry(routes), "mismatch");
    assert!(err.contains(&want) && err.contains(&got), "{err}");
    // An index whose entry is an index.
    let inner = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{{"mediaType":"{OCI_MANIFEST}","digest":"sha256:{}","size":{},"platform":{{"architecture":"amd64","os":"linux"}}}}]}}"#,
        oci::sha(&a.manifest),
        a.manifest.len()
    );
    let outer = format!(
        r#"{{"schemaVersion":2,"mediaType":"{OCI_INDEX}","manifests":[{{"mediaType":"{OCI_INDEX}","digest":"sha256:{}","size":{},"platform":{{"architecture":"amd64","os":"linux"}}}}]}}"#,
        oci::sha(inner.as_bytes()),
        inner.len()
    );
    let mut routes = image_routes(&a, false);
    routes[0].kind = OCI_INDEX;
    routes[0].body = outer.into_bytes();
    routes.push(Route {
        suffix: format!("/manifests/sha256:{}", oci::sha(inner.as_bytes())),
        kind: OCI_INDEX,
        body: inner.into_bytes(),
        stall: false,
        headless: false,
    });
    let err = pull_refused(env, fake_registry(routes), "nested");
    assert!(err.contains("index inside an index"), "{err}");
});

both!(oversized_tar_metadata_is_refused, |env: &Env| {
    // A GNU long name, a long link and a PAX header of 2 MiB each (a few KiB gzipped):
    // the tar crate would read each whole into memory.
    for kind in [b'L', b'K', b'x'] {
        let size = 2 << 20;
        let mut tar = block(&mut header("././@LongLink", kind, size));
        tar.resize(tar.len() + size as usize, b'a');
        tar.extend_from_slice(&block(&mut header("f", b'0', 0)));
        let a = OciArchive::new("localhost/meta:latest", &[finish(tar)]);
        refused(env, &a.build(), "the limit is 1048576");
    }
});

#[test]
fn copy_up_with_a_single_id_map() {
    // A user without subordinate ids: owners other than its own cannot exist on disk, the
    // copy still happens (as Podman's with ignore_chown_errors).
    let Some(env) = Env::rootless_as(common::NOSUB_TEST_USER) else {
        return;
    };
    let img = "localhost/vol:latest";
    volume_image(&env, img);
    let out = env
        .skiff(&[
            "run",
            "--rm",
            "-v",
            "vol:/data",
            img,
            "cat",
            "/data/seed",
            "/data/sub/deep",
        ])
        .success();
    assert_eq!(out.stdout(), "from the image\ndeep\n");
    env.skiff(&["run", "--rm", img, "true"]).success();
    assert_eq!(volumes(&env), vec!["vol".to_string()]);
}
